#include "tools/ntmctl/render.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "tools/ntmctl/table.h"
#include "tools/ntmctl/text.h"

namespace ntm::ntmctl {
namespace {

namespace v1 = ::ntm::assessment::v1;

// Display widths of long text columns.
constexpr int kWordingWidth = 50;
constexpr int kShortWordingWidth = 40;
constexpr int kTitleWidth = 40;
constexpr int kCommuneNameWidth = 16;

// "a, b, c" for a list of codes.
std::string CodeList(const google::protobuf::RepeatedPtrField<std::string>& codes) {
  return absl::StrJoin(codes, ", ");
}

std::string ThresholdsCell(const v1::Indicator& indicator) {
  if (indicator.thresholds().empty()) {
    return "–";
  }
  std::vector<std::string> parts;
  for (const v1::Threshold& threshold : indicator.thresholds()) {
    std::string text =
        threshold.status() == v1::THRESHOLD_STATUS_NOT_SET
            ? "–"
            : FormatThreshold(indicator.measure(), threshold.has_value()
                                                       ? std::optional<double>(threshold.value())
                                                       : std::nullopt);
    parts.push_back(threshold.year() == 0 ? text : absl::StrCat(threshold.year(), ": ", text));
  }
  return absl::StrJoin(parts, "; ");
}

std::string ThresholdStatusCell(const v1::Indicator& indicator) {
  if (indicator.thresholds().empty()) {
    return ThresholdStatusLabel(v1::THRESHOLD_STATUS_NOT_SET);
  }
  std::set<int> statuses;
  for (const v1::Threshold& threshold : indicator.thresholds()) {
    statuses.insert(threshold.status());
  }
  if (statuses.size() == 1) {
    return ThresholdStatusLabel(indicator.thresholds(0).status());
  }
  std::vector<std::string> parts;
  for (const v1::Threshold& threshold : indicator.thresholds()) {
    const std::string label = ThresholdStatusLabel(threshold.status());
    if (!label.empty()) {
      parts.push_back(threshold.year() == 0 ? label : absl::StrCat(threshold.year(), ": ", label));
    }
  }
  return absl::StrJoin(parts, "; ");
}

}  // namespace

std::string MeasureLabel(v1::Measure measure) {
  switch (measure) {
    case v1::MEASURE_BOOLEAN:
      return "Đạt/Không đạt";
    case v1::MEASURE_NONE_ALLOWED:
      return "Không được có";
    case v1::MEASURE_PERCENT_AT_LEAST:
      return "Tỷ lệ tối thiểu";
    case v1::MEASURE_PERCENT_AT_MOST:
      return "Tỷ lệ tối đa";
    case v1::MEASURE_AMOUNT_AT_LEAST:
      return "Mức tối thiểu";
    case v1::MEASURE_COUNT_AT_LEAST:
      return "Số lượng tối thiểu";
    default:
      return "?";
  }
}

std::string ThresholdStatusLabel(v1::ThresholdStatus status) {
  switch (status) {
    case v1::THRESHOLD_STATUS_NOT_SET:
      return "chưa có ngưỡng";
    case v1::THRESHOLD_STATUS_IMPLICIT:
      return "";
    case v1::THRESHOLD_STATUS_UNVERIFIED:
      return "chưa kiểm chứng";
    case v1::THRESHOLD_STATUS_OFFICIAL:
      return "chính thức";
    case v1::THRESHOLD_STATUS_DEMO:
      return "minh họa";
    default:
      return "?";
  }
}

std::string IndicatorResultLabel(v1::IndicatorResult result) {
  switch (result) {
    case v1::INDICATOR_RESULT_MET:
      return "Đạt";
    case v1::INDICATOR_RESULT_NOT_MET:
      return "Chưa đạt";
    case v1::INDICATOR_RESULT_NO_DATA:
      return "Không có số liệu";
    case v1::INDICATOR_RESULT_THRESHOLD_NOT_SET:
      return "Chưa có ngưỡng";
    default:
      return "?";
  }
}

std::string CriterionResultLabel(v1::CriterionResult result) {
  switch (result) {
    case v1::CRITERION_RESULT_MET:
      return "Đạt";
    case v1::CRITERION_RESULT_NOT_MET:
      return "Chưa đạt";
    case v1::CRITERION_RESULT_INCOMPLETE:
      return "Chưa đủ dữ liệu";
    default:
      return "–";
  }
}

std::string ReviewStateLabel(v1::ReviewState state) {
  switch (state) {
    case v1::REVIEW_STATE_PENDING:
      return "Chờ thẩm định";
    case v1::REVIEW_STATE_CONFIRMED:
      return "Đã xác nhận";
    case v1::REVIEW_STATE_DISPUTED:
      return "Có ý kiến khác";
    case v1::REVIEW_STATE_NO_OWNER:
      return "Chưa phân công";
    default:
      return "–";
  }
}

std::string AssessmentStateLabel(v1::AssessmentState state) {
  switch (state) {
    case v1::ASSESSMENT_STATE_DRAFT:
      return "Bản nháp";
    case v1::ASSESSMENT_STATE_SUBMITTED:
      return "Đã gửi";
    default:
      return "–";
  }
}

std::string CriterionMark(v1::CriterionResult result) {
  switch (result) {
    case v1::CRITERION_RESULT_MET:
      return "✓";
    case v1::CRITERION_RESULT_NOT_MET:
      return "✗";
    case v1::CRITERION_RESULT_INCOMPLETE:
      return "?";
    default:
      return "";
  }
}

std::string FormatValue(const v1::IndicatorValue& value) {
  switch (value.value_case()) {
    case v1::IndicatorValue::kBooleanValue:
      return value.boolean_value() ? "Đạt" : "Không đạt";
    case v1::IndicatorValue::kNumberValue:
      return FormatNumber(value.number_value());
    case v1::IndicatorValue::kCountValue:
      return absl::StrCat(value.count_value());
    default:
      return "–";
  }
}

std::string FormatThreshold(v1::Measure measure, std::optional<double> value) {
  switch (measure) {
    case v1::MEASURE_BOOLEAN:
      return "Đạt";
    case v1::MEASURE_NONE_ALLOWED:
      return "= 0";
    case v1::MEASURE_PERCENT_AT_MOST:
      return value.has_value() ? absl::StrCat("≤ ", FormatNumber(*value)) : "–";
    case v1::MEASURE_PERCENT_AT_LEAST:
    case v1::MEASURE_AMOUNT_AT_LEAST:
    case v1::MEASURE_COUNT_AT_LEAST:
      return value.has_value() ? absl::StrCat("≥ ", FormatNumber(*value)) : "–";
    default:
      return value.has_value() ? FormatNumber(*value) : "–";
  }
}

std::string ShortUnitName(absl::string_view display_name) {
  for (const absl::string_view kind : {"Xã ", "Phường ", "Thị trấn "}) {
    if (absl::StartsWith(display_name, kind) && display_name.size() > kind.size()) {
      return std::string(display_name.substr(kind.size()));
    }
  }
  return std::string(display_name);
}

std::string RenderCriteriaSets(const std::vector<v1::CriteriaSet>& sets) {
  if (sets.empty()) {
    return "Không có bộ tiêu chí nào.\n";
  }
  Table table({"Tên", "Tiêu đề", "Năm", "Phạm vi", "Tiêu chí", "Chỉ tiêu", "Chưa có ngưỡng"});
  table.SetMaxWidth(1, kTitleWidth);
  for (const size_t column : {4, 5, 6}) {
    table.SetAlign(column, Table::Align::kRight);
  }
  for (const v1::CriteriaSet& set : sets) {
    table.AddRow({set.name(), set.title(),
                  absl::StrFormat("%d–%d", set.first_year(), set.last_year()), set.scope_unit(),
                  absl::StrCat(set.criterion_count()), absl::StrCat(set.indicator_count()),
                  absl::StrCat(set.missing_threshold_codes_size())});
  }
  return absl::StrCat(table.Render(), sets.size(), " bộ tiêu chí.\n");
}

std::string RenderCriteriaSet(const v1::CriteriaSet& set) {
  std::string out = absl::StrFormat("Bộ tiêu chí: %s (%s)\n", set.title(), set.name());
  if (!set.legal_basis().empty()) {
    absl::StrAppendFormat(&out, "Căn cứ: %s\n", set.legal_basis());
  }
  absl::StrAppendFormat(&out, "Áp dụng: %s, năm %d–%d\n\n", set.scope_unit(), set.first_year(),
                        set.last_year());

  std::map<int, std::string> group_titles;
  for (const v1::ContentGroup& group : set.groups()) {
    group_titles[group.code()] = group.title_vi();
  }
  Table table({"Mã", "Nội dung", "Cách đo", "Đơn vị", "Ngưỡng", "Trạng thái ngưỡng"});
  table.SetMaxWidth(1, kWordingWidth);
  int indicator_count = 0;
  int current_group = -1;
  for (const v1::Criterion& criterion : set.criteria()) {
    if (criterion.group_code() != current_group) {
      current_group = criterion.group_code();
      const auto it = group_titles.find(current_group);
      table.AddSection(
          absl::StrFormat("— Nhóm %d%s", current_group,
                          it == group_titles.end() ? "" : absl::StrCat(". ", it->second)));
    }
    indicator_count += criterion.indicators_size();
    const bool single =
        criterion.indicators_size() == 1 && criterion.indicators(0).code() == criterion.code();
    if (!single) {
      table.AddRow({criterion.code(), criterion.title_vi()});
    }
    for (const v1::Indicator& indicator : criterion.indicators()) {
      const std::string wording =
          single ? absl::StrCat(criterion.title_vi(), ": ", indicator.title_vi())
                 : indicator.title_vi();
      table.AddRow({single ? indicator.code() : absl::StrCat("  ", indicator.code()), wording,
                    MeasureLabel(indicator.measure()), indicator.unit(), ThresholdsCell(indicator),
                    ThresholdStatusCell(indicator)});
    }
  }
  out += table.Render();

  const int criterion_count =
      set.criterion_count() > 0 ? set.criterion_count() : set.criteria_size();
  const int indicators = set.indicator_count() > 0 ? set.indicator_count() : indicator_count;
  absl::StrAppendFormat(&out, "\nTổng: %d tiêu chí, %d chỉ tiêu.\n", criterion_count, indicators);
  if (set.missing_threshold_codes().empty()) {
    out += "Tất cả chỉ tiêu đã có ngưỡng.\n";
  } else {
    absl::StrAppendFormat(&out, "Chưa có ngưỡng (%d chỉ tiêu): %s\n",
                          set.missing_threshold_codes_size(),
                          CodeList(set.missing_threshold_codes()));
  }
  if (!set.unverified_threshold_codes().empty()) {
    absl::StrAppendFormat(&out, "Ngưỡng chưa kiểm chứng hoặc minh họa (%d chỉ tiêu): %s\n",
                          set.unverified_threshold_codes_size(),
                          CodeList(set.unverified_threshold_codes()));
  }
  if (!set.unverified_wording_codes().empty()) {
    absl::StrAppendFormat(&out, "Nội dung chưa đối chiếu văn bản gốc (%d chỉ tiêu): %s\n",
                          set.unverified_wording_codes_size(),
                          CodeList(set.unverified_wording_codes()));
  }
  if (!set.about().empty()) {
    absl::StrAppendFormat(&out, "Ghi chú: %s\n", OneLine(set.about()));
  }
  return out;
}

std::string RenderUnits(const std::vector<v1::Unit>& units) {
  if (units.empty()) {
    return "Không có đơn vị nào.\n";
  }
  bool any_demo = false;
  for (const v1::Unit& unit : units) {
    any_demo = any_demo || unit.demo();
  }
  Table table(any_demo ? std::vector<std::string>{"Mã", "Tên", "Loại", "Ghi chú"}
                       : std::vector<std::string>{"Mã", "Tên", "Loại"});
  for (const v1::Unit& unit : units) {
    table.AddRow({unit.code(), unit.display_name(), unit.kind(), unit.demo() ? "minh họa" : ""});
  }
  return absl::StrCat(table.Render(), units.size(), " đơn vị.\n");
}

std::string RenderCommuneStatus(const v1::CommuneStatus& status) {
  const std::string commune =
      status.unit_display_name().empty() ? status.unit() : status.unit_display_name();
  std::string out = absl::StrFormat("%s (%s) — đánh giá đến ngày %s — %s — bộ tiêu chí %s\n\n",
                                    commune, status.unit(), FormatDateVi(status.as_of_date()),
                                    AssessmentStateLabel(status.state()), status.criteria_set());

  Table criteria({"Tiêu chí", "Tên tiêu chí", "Kết quả", "Chỉ tiêu đạt", "Thẩm định"});
  criteria.SetMaxWidth(1, kTitleWidth);
  criteria.SetAlign(0, Table::Align::kRight);
  criteria.SetAlign(3, Table::Align::kRight);
  for (const v1::CriterionStatus& criterion : status.criteria()) {
    criteria.AddRow(
        {criterion.criterion_code(), criterion.title_vi(), CriterionResultLabel(criterion.result()),
         absl::StrFormat("%d/%d", criterion.indicators_met(), criterion.indicators_total()),
         ReviewStateLabel(criterion.review_state())});
  }
  out += criteria.Render();

  Table unmet({"Chỉ tiêu", "Nội dung", "Kết quả", "Giá trị", "Ngưỡng", "Đơn vị"});
  unmet.SetMaxWidth(1, kShortWordingWidth);
  unmet.SetAlign(3, Table::Align::kRight);
  for (const v1::IndicatorStatus& indicator : status.indicators()) {
    if (indicator.result() == v1::INDICATOR_RESULT_MET) {
      continue;
    }
    std::string threshold = indicator.result() == v1::INDICATOR_RESULT_THRESHOLD_NOT_SET
                                ? "chưa có"
                                : FormatThreshold(indicator.measure(),
                                                  indicator.has_threshold()
                                                      ? std::optional<double>(indicator.threshold())
                                                      : std::nullopt);
    if (indicator.threshold_status() == v1::THRESHOLD_STATUS_DEMO) {
      threshold += " (ngưỡng minh họa)";
    } else if (indicator.threshold_status() == v1::THRESHOLD_STATUS_UNVERIFIED) {
      threshold += " (chưa kiểm chứng)";
    }
    unmet.AddRow({indicator.indicator_code(), indicator.title_vi(),
                  IndicatorResultLabel(indicator.result()),
                  indicator.has_value() ? FormatValue(indicator.value()) : "–", threshold,
                  indicator.unit()});
  }
  if (unmet.row_count() == 0) {
    out += "\nMọi chỉ tiêu đều đạt.\n";
  } else {
    absl::StrAppendFormat(&out, "\nChỉ tiêu chưa đạt (%d):\n", unmet.row_count());
    out += unmet.Render();
  }

  out += "\n";
  if (status.uses_demo_thresholds()) {
    out +=
        "Cảnh báo: kết quả có dùng ngưỡng minh họa, không phải ngưỡng chính thức; chỉ dùng để thử "
        "nghiệm.\n";
  }
  absl::StrAppendFormat(
      &out, "%s: đạt %d/%d tiêu chí — %s\n", commune, status.criteria_met(),
      status.criteria_total(),
      status.ntm_standard_reached() ? "đạt chuẩn nông thôn mới" : "chưa đạt chuẩn nông thôn mới");
  return out;
}

std::string RenderMatrix(const v1::GetDistrictMatrixResponse& matrix) {
  std::string out = absl::StrFormat("Ma trận tiêu chí: %s, đến ngày %s", matrix.unit(),
                                    FormatDateVi(matrix.as_of_date()));
  if (!matrix.criteria_set().empty()) {
    absl::StrAppendFormat(&out, ", bộ tiêu chí %s", matrix.criteria_set());
  }
  out += "\n\n";

  std::vector<std::string> headers = {"Xã"};
  for (const std::string& code : matrix.criterion_codes()) {
    headers.push_back(code);
  }
  headers.push_back("Đạt");
  headers.push_back("Trạng thái");
  const size_t met_column = headers.size() - 2;
  Table table(headers);
  table.set_separator(" ");
  table.SetMaxWidth(0, kCommuneNameWidth);
  for (size_t i = 1; i < met_column; ++i) {
    table.SetAlign(i, Table::Align::kCenter);
  }
  table.SetAlign(met_column, Table::Align::kRight);

  std::map<std::string, std::string> short_names;
  std::vector<std::string> reached;
  int assessed = 0;
  for (const v1::MatrixRow& row : matrix.rows()) {
    const std::string name = row.unit_display_name().empty()
                                 ? std::string(absl::StripPrefix(row.unit(), "units/"))
                                 : ShortUnitName(row.unit_display_name());
    short_names[row.unit()] = name;
    std::vector<std::string> cells = {name};
    const bool has_assessment = !row.assessment().empty();
    for (int i = 0; i < matrix.criterion_codes_size(); ++i) {
      cells.push_back(has_assessment && i < row.cells_size() ? CriterionMark(row.cells(i)) : "");
    }
    if (has_assessment) {
      ++assessed;
      cells.push_back(absl::StrFormat("%d/%d", row.criteria_met(), matrix.criterion_codes_size()));
      cells.push_back(ToLowerVi(AssessmentStateLabel(row.state())));
      if (row.ntm_standard_reached()) {
        reached.push_back(name);
      }
    } else {
      cells.push_back("–");
      cells.push_back("chưa có đánh giá");
    }
    table.AddRow(std::move(cells));
  }
  if (matrix.rows().empty()) {
    out += "Không có xã nào.\n";
    return out;
  }
  out += table.Render();
  out += "✓ đạt   ✗ chưa đạt   ? chưa đủ dữ liệu   (trống) chưa có đánh giá\n";
  absl::StrAppendFormat(
      &out, "\nĐã có đánh giá: %d/%d xã. Đạt chuẩn nông thôn mới: %d xã%s\n", assessed,
      matrix.rows_size(), reached.size(),
      reached.empty() ? "." : absl::StrCat(" (", absl::StrJoin(reached, ", "), ")."));

  const auto names = [&](const google::protobuf::RepeatedPtrField<std::string>& units) {
    std::vector<std::string> list;
    for (const std::string& unit : units) {
      const auto it = short_names.find(unit);
      list.push_back(it != short_names.end() ? it->second
                                             : std::string(absl::StripPrefix(unit, "units/")));
    }
    return absl::StrJoin(list, ", ");
  };
  // Indicators not met, each with its communes; then, per commune, the indicators without data
  // (when most data is still missing, listing those per indicator would drown the rest).
  std::string not_met;
  std::map<std::string, std::vector<std::string>> no_data;  // unit → indicator codes
  for (const v1::IndicatorGap& gap : matrix.gaps()) {
    if (!gap.units_not_met().empty()) {
      absl::StrAppendFormat(&not_met, "  %s %s\n      Chưa đạt (%d): %s\n",
                            PadRight(gap.indicator_code(), 6),
                            TruncateToWidth(OneLine(gap.title_vi()), 70), gap.units_not_met_size(),
                            names(gap.units_not_met()));
    }
    for (const std::string& unit : gap.units_no_data()) {
      no_data[unit].push_back(gap.indicator_code());
    }
  }
  if (!not_met.empty()) {
    out += "\nChỉ tiêu chưa đạt theo xã:\n";
    out += not_met;
  } else if (assessed > 0) {
    out += "\nKhông có chỉ tiêu nào có số liệu mà chưa đạt.\n";
  }
  if (!no_data.empty()) {
    out += "\nXã còn thiếu số liệu:\n";
    for (const v1::MatrixRow& row : matrix.rows()) {  // in the rows' order
      const auto it = no_data.find(row.unit());
      if (it == no_data.end()) {
        continue;
      }
      absl::StrAppendFormat(&out, "  %s: %d chỉ tiêu (%s)\n", short_names[row.unit()],
                            it->second.size(), absl::StrJoin(it->second, ", "));
      no_data.erase(it);
    }
    for (const auto& [unit, codes] : no_data) {  // units missing from the rows, if any
      absl::StrAppendFormat(&out, "  %s: %d chỉ tiêu (%s)\n", absl::StripPrefix(unit, "units/"),
                            codes.size(), absl::StrJoin(codes, ", "));
    }
  }
  if (matrix.uses_demo_thresholds()) {
    out +=
        "\nCảnh báo: kết quả có dùng ngưỡng minh họa, không phải ngưỡng chính thức; chỉ dùng để "
        "thử nghiệm.\n";
  }
  return out;
}

std::string RenderAssessmentBrief(const v1::Assessment& assessment) {
  return absl::StrFormat(
      "Bản đánh giá: %s\nTrạng thái: %s\nBộ tiêu chí: %s\nSố giá trị đã nhập: %d\netag: %s\n",
      assessment.name(), AssessmentStateLabel(assessment.state()), assessment.criteria_set(),
      assessment.values_size(), assessment.etag());
}

}  // namespace ntm::ntmctl
