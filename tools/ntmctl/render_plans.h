// Text for people about the plans service: Vietnamese labels of its enums, amounts in đồng, times
// in Asia/Ho_Chi_Minh, and the directive, the plan in the template's sections, the submission
// status and the district summary as ntmctl prints them.
#ifndef NTM_TOOLS_NTMCTL_RENDER_PLANS_H_
#define NTM_TOOLS_NTMCTL_RENDER_PLANS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/timestamp.pb.h"
#include "ntm/plans/v1/directive.pb.h"
#include "ntm/plans/v1/plan.pb.h"

namespace ntm::ntmctl {

// Labels.
// "Dự thảo", "Đã gửi", "Trả lại", "Đã chấp nhận"; "–" for UNSPECIFIED.
std::string PlanStateLabel(plans::v1::PlanState state);
// "Chưa bắt đầu", "Dự thảo", "Đã gửi đúng hạn", "Đã gửi muộn", "Trả lại", "Đã chấp nhận".
std::string SubmissionStatusLabel(plans::v1::SubmissionStatus status);
// The template's number of a content group, "2.1"–"2.5"; "?" for any other value.
std::string ContentGroupNumber(plans::v1::ContentGroup group);
// The template's heading of a content group without its number, e.g. "Về hạ tầng kinh tế - xã
// hội"; "Chưa xếp nhóm" for any other value.
std::string ContentGroupTitle(plans::v1::ContentGroup group);
// The name of a funding source as the template writes it, e.g. "Vốn lồng ghép".
std::string FundingSourceLabel(plans::v1::FundingSource source);
// "Kế hoạch xây dựng NTM", "Đăng ký mô hình điểm".
std::string DeliverableLabel(plans::v1::Deliverable deliverable);
// A history entry's action in Vietnamese: "Tạo", "Sửa", "Gửi", "Chấp nhận", "Trả lại"; any other
// action as it is.
std::string PlanActionLabel(absl::string_view action);

// The heading of a section of the template by its update_mask path: "status_summary" → "I. Thực
// trạng", ..., "organisation" → "V. Tổ chức thực hiện"; any other path as it is.
std::string PlanSectionLabel(absl::string_view path);

// An amount in đồng with "." between thousands: 1250000000 → "1.250.000.000 đ".
std::string FormatDong(int64_t amount);
// An instant in Asia/Ho_Chi_Minh (UTC+7 all year), "DD/MM/YYYY HH:MM".
std::string FormatLocalTime(const google::protobuf::Timestamp& time);
// A time the service already wrote in Asia/Ho_Chi_Minh as RFC 3339 ("2024-02-10T23:59:59+07:00"),
// shown as FormatLocalTime shows it; any other text is returned as it is.
std::string FormatLocalTime(absl::string_view rfc3339);

// A directive: document, title, year, deadline, deliverables, focus indicators, then its addressed
// units with their deadlines, extensions marked.
std::string RenderDirective(const plans::v1::Directive& directive);
// A plan in the template's sections: the header (commune, directive, state, deadline, submission,
// etag), I. Thực trạng, II.1 Mục tiêu, II.2 Nhiệm vụ (under 2.1–2.5), III. Kinh phí, IV. Giải
// pháp, V. Tổ chức thực hiện, then its history when the plan carries it.
std::string RenderPlan(const plans::v1::Plan& plan);
// Name, commune, state (with the submission time and lateness once sent) and etag of a plan, one
// per line.
std::string RenderPlanBrief(const plans::v1::Plan& plan);
// The submission status of a directive as a table, one row per addressed unit, then the number of
// units per status and the number overdue.
std::string RenderSubmissionStatus(const plans::v1::GetSubmissionStatusResponse& status);
// The district summary: per indicator the communes that target it, then the funding totals by
// content group and by source. `include_drafts` says whether drafts were asked to be counted.
std::string RenderDistrictPlanSummary(const plans::v1::GetDistrictPlanSummaryResponse& summary,
                                      bool include_drafts);

}  // namespace ntm::ntmctl

#endif  // NTM_TOOLS_NTMCTL_RENDER_PLANS_H_
