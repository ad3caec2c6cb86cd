// Text for people: Vietnamese labels of the contract's enums and the tables ntmctl prints.
#ifndef NTM_TOOLS_NTMCTL_RENDER_H_
#define NTM_TOOLS_NTMCTL_RENDER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "ntm/assessment/v1/assessment.pb.h"
#include "ntm/assessment/v1/catalog.pb.h"
#include "ntm/assessment/v1/directory.pb.h"

namespace ntm::ntmctl {

// Labels.
std::string MeasureLabel(assessment::v1::Measure measure);
// "chưa có ngưỡng", "minh họa", "chưa kiểm chứng", "chính thức"; "" for IMPLICIT.
std::string ThresholdStatusLabel(assessment::v1::ThresholdStatus status);
// "Đạt", "Chưa đạt", "Không có số liệu", "Chưa có ngưỡng".
std::string IndicatorResultLabel(assessment::v1::IndicatorResult result);
// "Đạt", "Chưa đạt", "Chưa đủ dữ liệu"; "–" for UNSPECIFIED (no assessment).
std::string CriterionResultLabel(assessment::v1::CriterionResult result);
// "Chờ thẩm định", "Đã xác nhận", "Có ý kiến khác", "Chưa phân công".
std::string ReviewStateLabel(assessment::v1::ReviewState state);
// "Bản nháp", "Đã gửi".
std::string AssessmentStateLabel(assessment::v1::AssessmentState state);
// The mark of a matrix cell: "✓" met, "✗" not met, "?" incomplete, "" no assessment.
std::string CriterionMark(assessment::v1::CriterionResult result);

// The value of an indicator for people: "Đạt"/"Không đạt", "95,5", "3"; "–" when none is set.
std::string FormatValue(const assessment::v1::IndicatorValue& value);
// The threshold of an indicator for people: "≥ 95", "≤ 10", "= 0", "Đạt"; "–" when a number is
// needed and none is given.
std::string FormatThreshold(assessment::v1::Measure measure, std::optional<double> value);
// "Xã Bản Bo" → "Bản Bo": the commune's name without its kind.
std::string ShortUnitName(absl::string_view display_name);

// The criteria set editions as a table.
std::string RenderCriteriaSets(const std::vector<assessment::v1::CriteriaSet>& sets);
// One edition (FULL view): criteria and indicators with measures, thresholds and their status, then
// counts and the indicators that have no threshold.
std::string RenderCriteriaSet(const assessment::v1::CriteriaSet& set);
// Units as a table: code, name, kind.
std::string RenderUnits(const std::vector<assessment::v1::Unit>& units);
// A commune's standing: one row per criterion, the indicators not met, and the verdict.
std::string RenderCommuneStatus(const assessment::v1::CommuneStatus& status);
// The district matrix: communes × criteria, then per indicator the communes that have not met it.
std::string RenderMatrix(const assessment::v1::GetDistrictMatrixResponse& matrix);
// Name, state, criteria set and etag of an assessment, one per line.
std::string RenderAssessmentBrief(const assessment::v1::Assessment& assessment);

}  // namespace ntm::ntmctl

#endif  // NTM_TOOLS_NTMCTL_RENDER_H_
