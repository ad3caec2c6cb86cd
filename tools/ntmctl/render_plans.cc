#include "tools/ntmctl/render_plans.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "tools/ntmctl/table.h"
#include "tools/ntmctl/text.h"

namespace ntm::ntmctl {
namespace {

namespace v1 = ::ntm::plans::v1;

// The mark of a focus indicator (one the directive names first) in the tables.
constexpr char kFocusMark[] = "★";
constexpr char kFocusLegend[] = "★ chỉ tiêu trọng tâm của văn bản chỉ đạo\n";
constexpr int kUnitNameWidth = 24;

// Asia/Ho_Chi_Minh: UTC+7 all year since 1975, so a fixed zone needs no time zone database.
absl::TimeZone VietnamTime() { return absl::FixedTimeZone(7 * 60 * 60); }

absl::Time ToTime(const google::protobuf::Timestamp& time) {
  return absl::FromUnixSeconds(time.seconds()) + absl::Nanoseconds(time.nanos());
}

// "units/03424" → "03424"; any other text as it is.
std::string UnitCode(absl::string_view unit) {
  return std::string(absl::StripPrefix(unit, "units/"));
}

// Every line of `text` prefixed with `indent` (empty lines stay empty).
std::string Indent(absl::string_view text, absl::string_view indent) {
  std::string out;
  for (const absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!line.empty()) {
      absl::StrAppend(&out, indent, line);
    }
    out += '\n';
  }
  if (absl::EndsWith(text, "\n")) {
    out.pop_back();  // StrSplit gave one empty piece after the last line break
  }
  return out;
}

// A free-text section (status summary, solutions, organisation) indented under its heading.
std::string TextBlock(absl::string_view text) {
  const absl::string_view trimmed = TrimSpace(text);
  if (trimmed.empty()) {
    return "  (chưa có nội dung)\n";
  }
  return Indent(absl::StrCat(trimmed, "\n"), "  ");
}

// The deadline from the service's own local text when it gives one, else from the instant.
std::string DeadlineText(absl::string_view local, const google::protobuf::Timestamp& deadline,
                         bool has_deadline) {
  if (!local.empty()) {
    return FormatLocalTime(local);
  }
  return has_deadline ? FormatLocalTime(deadline) : "–";
}

// "01/03/2024 – 30/09/2024", "từ 01/03/2024", "đến 30/09/2024"; "" without dates.
std::string DateRange(absl::string_view start, absl::string_view end) {
  if (!start.empty() && !end.empty()) {
    return absl::StrCat(FormatDateVi(start), " – ", FormatDateVi(end));
  }
  if (!start.empty()) {
    return absl::StrCat("từ ", FormatDateVi(start));
  }
  if (!end.empty()) {
    return absl::StrCat("đến ", FormatDateVi(end));
  }
  return "";
}

// "Dự thảo → Đã gửi"; only the state after when the state did not change or there was none.
std::string StateChange(v1::PlanState from, v1::PlanState to) {
  if (from == v1::PLAN_STATE_UNSPECIFIED || from == to) {
    return PlanStateLabel(to);
  }
  return absl::StrCat(PlanStateLabel(from), " → ", PlanStateLabel(to));
}

// The reasons of a return (one per line) on one line, separated by "; ".
std::string ReasonsOnOneLine(absl::string_view reasons) {
  std::vector<absl::string_view> parts;
  for (const absl::string_view line : absl::StrSplit(reasons, '\n')) {
    const absl::string_view trimmed = TrimSpace(line);
    if (!trimmed.empty()) {
      parts.push_back(trimmed);
    }
  }
  return absl::StrJoin(parts, "; ");
}

// Amounts by content group as a table (the group's number and heading, the amount) with a last
// "Cộng" row; `sum` receives the sum.
std::string GroupAmountTable(const google::protobuf::RepeatedPtrField<v1::GroupAmount>& amounts,
                             int64_t* sum) {
  Table table({"Theo nội dung", "Kinh phí"});
  table.SetAlign(1, Table::Align::kRight);
  *sum = 0;
  for (const v1::GroupAmount& amount : amounts) {
    table.AddRow({absl::StrCat(ContentGroupNumber(amount.content_group()), " ",
                               ContentGroupTitle(amount.content_group())),
                  FormatDong(amount.amount_dong())});
    *sum += amount.amount_dong();
  }
  table.AddRow({"Cộng", FormatDong(*sum)});
  return table.Render();
}

// Amounts by source as a table with a last "Cộng" row; `sum` receives the sum.
std::string SourceAmountTable(const google::protobuf::RepeatedPtrField<v1::SourceAmount>& amounts,
                              int64_t* sum) {
  Table table({"Theo nguồn vốn", "Kinh phí"});
  table.SetAlign(1, Table::Align::kRight);
  *sum = 0;
  for (const v1::SourceAmount& amount : amounts) {
    table.AddRow({FundingSourceLabel(amount.source()), FormatDong(amount.amount_dong())});
    *sum += amount.amount_dong();
  }
  table.AddRow({"Cộng", FormatDong(*sum)});
  return table.Render();
}

// Section III of a plan: the total, the tables by group and by source, and a note for each sum
// that differs from the total (the service refuses to submit such a plan).
std::string FundingSection(const v1::Plan& plan) {
  const v1::Funding& funding = plan.funding();
  if (funding.total_dong() == 0 && funding.by_group().empty() && funding.by_source().empty()) {
    return "  (chưa có số liệu kinh phí)\n";
  }
  std::string out = absl::StrFormat("  Tổng kinh phí: %s\n", FormatDong(funding.total_dong()));
  int64_t group_sum = 0;
  int64_t source_sum = 0;
  if (!funding.by_group().empty()) {
    absl::StrAppend(&out, "\n", Indent(GroupAmountTable(funding.by_group(), &group_sum), "  "));
  }
  if (!funding.by_source().empty()) {
    absl::StrAppend(&out, "\n", Indent(SourceAmountTable(funding.by_source(), &source_sum), "  "));
  }
  std::vector<std::string> differences;
  if (group_sum != funding.total_dong()) {
    differences.push_back(absl::StrFormat("cộng theo nội dung %s khác tổng kinh phí %s",
                                          FormatDong(group_sum), FormatDong(funding.total_dong())));
  }
  if (source_sum != funding.total_dong()) {
    differences.push_back(absl::StrFormat("cộng theo nguồn vốn %s khác tổng kinh phí %s",
                                          FormatDong(source_sum),
                                          FormatDong(funding.total_dong())));
  }
  if (!differences.empty()) {
    absl::StrAppendFormat(&out, "\n  Lưu ý: %s; phải bằng nhau thì mới gửi được kế hoạch.\n",
                          absl::StrJoin(differences, "; "));
  }
  return out;
}

// Section II.1: one row per target.
std::string TargetsSection(const v1::Plan& plan) {
  if (plan.targets().empty()) {
    return "  (chưa có mục tiêu)\n";
  }
  Table table({"Chỉ tiêu", "Trọng tâm", "Mục tiêu", "Ghi chú"});
  table.SetAlign(1, Table::Align::kCenter);
  bool any_focus = false;
  for (const v1::Target& target : plan.targets()) {
    std::string aim = "–";
    if (target.reach_standard()) {
      aim = "Đạt chuẩn trong năm";
    } else if (target.has_target_value()) {
      aim = FormatNumber(target.target_value());
    }
    any_focus = any_focus || target.focus();
    table.AddRow({target.indicator_code(), target.focus() ? kFocusMark : "", aim, target.note()});
  }
  std::string out = Indent(table.Render(), "  ");
  if (any_focus) {
    absl::StrAppend(&out, "  ", kFocusLegend);
  }
  return out;
}

// Section II.2: the tasks under the template's headings 2.1–2.5, numbered within each heading;
// tasks without a known group come last under "Chưa xếp nhóm".
std::string TasksSection(const v1::Plan& plan) {
  std::map<int, std::vector<const v1::Task*>> by_group;
  for (const v1::Task& task : plan.tasks()) {
    const int group = task.content_group();
    const bool known =
        group >= v1::CONTENT_GROUP_PLANNING && group <= v1::CONTENT_GROUP_POLITICAL_SYSTEM;
    by_group[known ? group : 0].push_back(&task);
  }
  std::string out;
  const auto render_group = [&](std::string heading, const std::vector<const v1::Task*>& tasks) {
    absl::StrAppend(&out, "  ", heading, "\n");
    if (tasks.empty()) {
      out += "    (không có nhiệm vụ)\n";
      return;
    }
    int number = 0;
    for (const v1::Task* task : tasks) {
      const std::string label = absl::StrCat(++number, ". ");
      const std::string pad(label.size(), ' ');
      absl::StrAppend(&out, "    ", label, OneLine(task->content()), "\n");
      absl::StrAppend(&out, "    ", pad,
                      "Chủ trì: ", task->responsible().empty() ? "–" : OneLine(task->responsible()),
                      "\n");
      if (const std::string dates = DateRange(task->start_date(), task->end_date());
          !dates.empty()) {
        absl::StrAppend(&out, "    ", pad, "Thời gian: ", dates, "\n");
      }
      if (!task->indicator_codes().empty()) {
        absl::StrAppend(&out, "    ", pad,
                        "Chỉ tiêu: ", absl::StrJoin(task->indicator_codes(), ", "), "\n");
      }
      absl::StrAppend(&out, "    ", pad, "Kinh phí: ", FormatDong(task->cost_dong()), "\n");
    }
  };
  for (int group = v1::CONTENT_GROUP_PLANNING; group <= v1::CONTENT_GROUP_POLITICAL_SYSTEM;
       ++group) {
    const auto g = static_cast<v1::ContentGroup>(group);
    render_group(absl::StrCat(ContentGroupNumber(g), " ", ContentGroupTitle(g)), by_group[group]);
  }
  if (const auto it = by_group.find(0); it != by_group.end()) {
    render_group(ContentGroupTitle(v1::CONTENT_GROUP_UNSPECIFIED), it->second);
  }
  return out;
}

// The plan's history as a table, oldest first.
std::string HistorySection(const v1::Plan& plan) {
  Table table({"Thời gian", "Thao tác", "Người thực hiện", "Trạng thái", "Lý do, ghi chú"});
  for (const v1::PlanEvent& event : plan.history()) {
    table.AddRow({event.has_time() ? FormatLocalTime(event.time()) : "–",
                  PlanActionLabel(event.action()), event.actor(),
                  StateChange(event.from_state(), event.to_state()),
                  ReasonsOnOneLine(event.reason())});
  }
  return Indent(table.Render(), "  ");
}

// "gửi lúc 11/02/2024 08:00, nộp muộn" for a plan sent at least once; "" otherwise.
std::string SubmissionText(const v1::Plan& plan) {
  if (!plan.has_submit_time()) {
    return "";
  }
  return absl::StrCat("gửi lúc ", FormatLocalTime(plan.submit_time()),
                      plan.submitted_late() ? ", nộp muộn" : ", đúng hạn");
}

}  // namespace

std::string PlanStateLabel(v1::PlanState state) {
  switch (state) {
    case v1::PLAN_STATE_DRAFT:
      return "Dự thảo";
    case v1::PLAN_STATE_SUBMITTED:
      return "Đã gửi";
    case v1::PLAN_STATE_RETURNED:
      return "Trả lại";
    case v1::PLAN_STATE_ACCEPTED:
      return "Đã chấp nhận";
    default:
      return "–";
  }
}

std::string SubmissionStatusLabel(v1::SubmissionStatus status) {
  switch (status) {
    case v1::SUBMISSION_STATUS_NOT_STARTED:
      return "Chưa bắt đầu";
    case v1::SUBMISSION_STATUS_DRAFT:
      return "Dự thảo";
    case v1::SUBMISSION_STATUS_SUBMITTED_ON_TIME:
      return "Đã gửi đúng hạn";
    case v1::SUBMISSION_STATUS_SUBMITTED_LATE:
      return "Đã gửi muộn";
    case v1::SUBMISSION_STATUS_RETURNED:
      return "Trả lại";
    case v1::SUBMISSION_STATUS_ACCEPTED:
      return "Đã chấp nhận";
    default:
      return "–";
  }
}

std::string ContentGroupNumber(v1::ContentGroup group) {
  switch (group) {
    case v1::CONTENT_GROUP_PLANNING:
      return "2.1";
    case v1::CONTENT_GROUP_INFRASTRUCTURE:
      return "2.2";
    case v1::CONTENT_GROUP_ECONOMY:
      return "2.3";
    case v1::CONTENT_GROUP_CULTURE_SOCIETY_ENVIRONMENT:
      return "2.4";
    case v1::CONTENT_GROUP_POLITICAL_SYSTEM:
      return "2.5";
    default:
      return "?";
  }
}

std::string ContentGroupTitle(v1::ContentGroup group) {
  switch (group) {
    case v1::CONTENT_GROUP_PLANNING:
      return "Về quy hoạch và thực hiện quy hoạch";
    case v1::CONTENT_GROUP_INFRASTRUCTURE:
      return "Về hạ tầng kinh tế - xã hội";
    case v1::CONTENT_GROUP_ECONOMY:
      return "Về kinh tế và tổ chức sản xuất";
    case v1::CONTENT_GROUP_CULTURE_SOCIETY_ENVIRONMENT:
      return "Về văn hóa, xã hội và môi trường";
    case v1::CONTENT_GROUP_POLITICAL_SYSTEM:
      return "Về hệ thống chính trị";
    default:
      return "Chưa xếp nhóm";
  }
}

std::string FundingSourceLabel(v1::FundingSource source) {
  switch (source) {
    case v1::FUNDING_SOURCE_NTM_PROGRAM:
      return "Vốn chương trình MTQG xây dựng NTM";
    case v1::FUNDING_SOURCE_POVERTY_REDUCTION:
      return "Chương trình MTQG giảm nghèo bền vững";
    case v1::FUNDING_SOURCE_ETHNIC_MINORITY:
      return "Chương trình MTQG phát triển KT-XH vùng đồng bào DTTS và miền núi";
    case v1::FUNDING_SOURCE_PROJECTS:
      return "Các đề án, dự án";
    case v1::FUNDING_SOURCE_INTEGRATED:
      return "Vốn lồng ghép";
    case v1::FUNDING_SOURCE_CREDIT:
      return "Vốn tín dụng";
    case v1::FUNDING_SOURCE_ENTERPRISES:
      return "Doanh nghiệp";
    case v1::FUNDING_SOURCE_COMMUNITY:
      return "Nhân dân đóng góp";
    default:
      return "Chưa rõ nguồn";
  }
}

std::string DeliverableLabel(v1::Deliverable deliverable) {
  switch (deliverable) {
    case v1::DELIVERABLE_PLAN:
      return "Kế hoạch xây dựng NTM";
    case v1::DELIVERABLE_REGISTRATION:
      return "Đăng ký mô hình điểm";
    default:
      return "?";
  }
}

std::string PlanActionLabel(absl::string_view action) {
  static const auto* const kLabels =
      new std::map<std::string, std::string, std::less<>>{{"create", "Tạo"},
                                                          {"edit", "Sửa"},
                                                          {"submit", "Gửi"},
                                                          {"accept", "Chấp nhận"},
                                                          {"return", "Trả lại"}};
  const auto it = kLabels->find(action);
  return it == kLabels->end() ? std::string(action) : it->second;
}

std::string PlanSectionLabel(absl::string_view path) {
  static const auto* const kLabels = new std::map<std::string, std::string, std::less<>>{
      {"status_summary", "I. Thực trạng"}, {"targets", "II.1 Mục tiêu"},
      {"tasks", "II.2 Nhiệm vụ"},          {"funding", "III. Kinh phí"},
      {"solutions", "IV. Giải pháp"},      {"organisation", "V. Tổ chức thực hiện"}};
  const auto it = kLabels->find(path);
  return it == kLabels->end() ? std::string(path) : it->second;
}

std::string FormatDong(int64_t amount) {
  // The magnitude as unsigned, so that the most negative amount has one too.
  const uint64_t magnitude =
      amount < 0 ? uint64_t{0} - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  const std::string digits = absl::StrCat(magnitude);
  std::string out = amount < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += '.';
    }
    out += digits[i];
  }
  return absl::StrCat(out, " đ");
}

std::string FormatLocalTime(const google::protobuf::Timestamp& time) {
  return absl::FormatTime("%d/%m/%Y %H:%M", ToTime(time), VietnamTime());
}

std::string FormatLocalTime(absl::string_view rfc3339) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, rfc3339, &time, &error)) {
    return std::string(rfc3339);
  }
  return absl::FormatTime("%d/%m/%Y %H:%M", time, VietnamTime());
}

std::string RenderDirective(const v1::Directive& directive) {
  std::string out = absl::StrFormat("Văn bản chỉ đạo: %s\n", directive.name());
  absl::StrAppendFormat(&out, "Số, ngày: %s ngày %s\n", directive.document_number(),
                        FormatDateVi(directive.issue_date()));
  if (!directive.title().empty()) {
    absl::StrAppendFormat(&out, "Trích yếu: %s\n", OneLine(directive.title()));
  }
  absl::StrAppendFormat(&out, "Đơn vị ban hành: %s\n", directive.issuing_unit());
  absl::StrAppendFormat(&out, "Năm: %d\n", directive.year());
  absl::StrAppendFormat(
      &out, "Hạn nộp: %s (giờ Việt Nam)\n",
      DeadlineText(directive.deadline_local(), directive.deadline(), directive.has_deadline()));
  std::vector<std::string> deliverables;
  for (const int deliverable : directive.deliverables()) {
    deliverables.push_back(DeliverableLabel(static_cast<v1::Deliverable>(deliverable)));
  }
  absl::StrAppendFormat(&out, "Yêu cầu nộp: %s\n",
                        deliverables.empty() ? "–" : absl::StrJoin(deliverables, "; "));
  absl::StrAppendFormat(&out, "Chỉ tiêu trọng tâm: %s\n",
                        directive.focus_indicators().empty()
                            ? "không có"
                            : absl::StrJoin(directive.focus_indicators(), ", "));
  if (directive.demo()) {
    out += "Dữ liệu minh họa, không phải văn bản thật.\n";
  }
  if (directive.has_create_time()) {
    absl::StrAppendFormat(&out, "Ghi nhận: %s bởi %s\n", FormatLocalTime(directive.create_time()),
                          directive.created_by().empty() ? "–" : directive.created_by());
  }
  absl::StrAppendFormat(&out, "etag: %s\n", directive.etag());

  if (directive.addressed_units().empty()) {
    out += "\nKhông có đơn vị nào được giao.\n";
    return out;
  }
  absl::StrAppendFormat(&out, "\nĐơn vị được giao (%d):\n", directive.addressed_units_size());
  Table table({"Đơn vị", "Hạn nộp", "Gia hạn"});
  int extended = 0;
  for (const v1::AddressedUnit& unit : directive.addressed_units()) {
    std::string note;
    if (unit.extended()) {
      ++extended;
      std::vector<std::string> by;
      if (!unit.extended_by().empty()) {
        by.push_back(unit.extended_by());
      }
      if (unit.has_extend_time()) {
        by.push_back(FormatLocalTime(unit.extend_time()));
      }
      note = "gia hạn";
      if (!unit.extension_reason().empty()) {
        absl::StrAppend(&note, ": ", unit.extension_reason());
      }
      if (!by.empty()) {
        absl::StrAppend(&note, " (", absl::StrJoin(by, ", "), ")");
      }
    }
    table.AddRow({UnitCode(unit.unit()),
                  DeadlineText(unit.deadline_local(), unit.deadline(), unit.has_deadline()), note});
  }
  out += table.Render();
  absl::StrAppendFormat(&out, "%d đơn vị, %d được gia hạn.\n", directive.addressed_units_size(),
                        extended);
  return out;
}

std::string RenderPlan(const v1::Plan& plan) {
  std::string out = absl::StrFormat("Kế hoạch: %s\n", plan.name());
  absl::StrAppendFormat(&out, "Đơn vị: %s (%s)\n",
                        plan.unit_display_name().empty() ? "–" : plan.unit_display_name(),
                        plan.unit());
  absl::StrAppendFormat(&out, "Theo văn bản chỉ đạo: %s\n", plan.directive());
  absl::StrAppendFormat(&out, "Trạng thái: %s\n", PlanStateLabel(plan.state()));
  absl::StrAppendFormat(&out, "Hạn nộp: %s (giờ Việt Nam)\n",
                        plan.has_deadline() ? FormatLocalTime(plan.deadline()) : "–");
  if (plan.has_submit_time()) {
    absl::StrAppendFormat(&out, "Gửi lúc: %s%s\n", FormatLocalTime(plan.submit_time()),
                          plan.submitted_late() ? " — nộp muộn" : " — đúng hạn");
  } else {
    out += "Gửi lúc: chưa gửi\n";
  }
  if (plan.has_update_time()) {
    absl::StrAppendFormat(&out, "Cập nhật: %s bởi %s\n", FormatLocalTime(plan.update_time()),
                          plan.updated_by().empty() ? "–" : plan.updated_by());
  }
  absl::StrAppendFormat(&out, "etag: %s\n", plan.etag());

  out += "\nI. Thực trạng\n";
  out += TextBlock(plan.status_summary());
  if (plan.has_baseline()) {
    const v1::Baseline& baseline = plan.baseline();
    std::vector<std::string> source;
    if (!baseline.assessment().empty()) {
      source.push_back(absl::StrCat("theo ", baseline.assessment()));
    }
    if (!baseline.criteria_set().empty()) {
      source.push_back(absl::StrCat("bộ tiêu chí ", baseline.criteria_set()));
    }
    absl::StrAppendFormat(
        &out, "  Đạt %d/%d tiêu chí%s.\n", baseline.criteria_met(), baseline.criteria_total(),
        source.empty() ? "" : absl::StrCat(" (", absl::StrJoin(source, ", "), ")"));
    if (baseline.indicators_not_met().empty()) {
      out += "  Chỉ tiêu chưa đạt: không có.\n";
    } else {
      absl::StrAppendFormat(&out, "  Chỉ tiêu chưa đạt (%d): %s\n",
                            baseline.indicators_not_met_size(),
                            absl::StrJoin(baseline.indicators_not_met(), ", "));
    }
  }

  out += "\nII.1 Mục tiêu\n";
  out += TargetsSection(plan);
  out += "\nII.2 Nhiệm vụ\n";
  out += TasksSection(plan);
  out += "\nIII. Kinh phí\n";
  out += FundingSection(plan);
  out += "\nIV. Giải pháp\n";
  out += TextBlock(plan.solutions());
  out += "\nV. Tổ chức thực hiện\n";
  out += TextBlock(plan.organisation());
  if (!plan.history().empty()) {
    out += "\nLịch sử\n";
    out += HistorySection(plan);
  }
  return out;
}

std::string RenderPlanBrief(const v1::Plan& plan) {
  std::string out = absl::StrFormat("Kế hoạch: %s", plan.name());
  if (!plan.unit_display_name().empty()) {
    absl::StrAppendFormat(&out, " (%s)", plan.unit_display_name());
  }
  const std::string submission = SubmissionText(plan);
  absl::StrAppendFormat(&out, "\nTrạng thái: %s%s\netag: %s\n", PlanStateLabel(plan.state()),
                        submission.empty() ? "" : absl::StrCat(" — ", submission), plan.etag());
  return out;
}

std::string RenderSubmissionStatus(const v1::GetSubmissionStatusResponse& status) {
  std::string out = absl::StrFormat("Tình hình nộp kế hoạch theo %s", status.directive());
  if (status.has_as_of()) {
    absl::StrAppendFormat(&out, ", tính đến %s", FormatLocalTime(status.as_of()));
  }
  out += " (giờ Việt Nam)\n\n";
  if (status.units().empty()) {
    out += "Văn bản không giao cho đơn vị nào.\n";
    return out;
  }

  Table table({"Mã", "Tên", "Trạng thái", "Hạn nộp", "Gửi lúc", "Quá hạn"});
  table.SetMaxWidth(1, kUnitNameWidth);
  for (const v1::UnitSubmission& unit : status.units()) {
    std::string deadline =
        DeadlineText(unit.deadline_local(), unit.deadline(), unit.has_deadline());
    if (unit.extended()) {
      absl::StrAppend(&deadline, " (gia hạn)");
    }
    std::string submitted;
    if (unit.has_submit_time()) {
      submitted = FormatLocalTime(unit.submit_time());
      if (unit.submitted_late()) {
        absl::StrAppend(&submitted, " (muộn)");
      }
    }
    table.AddRow({UnitCode(unit.unit()), unit.unit_display_name(),
                  SubmissionStatusLabel(unit.status()), deadline, submitted,
                  unit.overdue() ? "QUÁ HẠN" : ""});
  }
  out += table.Render();

  // The counts as the service gives them (every status, in the enum's order); from the rows when
  // it gives none.
  std::vector<std::pair<std::string, int>> counts;
  if (!status.counts().empty()) {
    for (const v1::StatusCount& count : status.counts()) {
      counts.emplace_back(SubmissionStatusLabel(count.status()), count.count());
    }
  } else {
    std::map<int, int> by_status;
    for (const v1::UnitSubmission& unit : status.units()) {
      ++by_status[unit.status()];
    }
    for (int s = v1::SUBMISSION_STATUS_NOT_STARTED; s <= v1::SUBMISSION_STATUS_ACCEPTED; ++s) {
      counts.emplace_back(SubmissionStatusLabel(static_cast<v1::SubmissionStatus>(s)),
                          by_status[s]);
    }
  }
  int label_width = 0;
  for (const auto& [label, count] : counts) {
    label_width = std::max(label_width, DisplayWidth(label));
  }
  absl::StrAppendFormat(&out, "\nSố đơn vị theo trạng thái (tổng %d):\n", status.units_size());
  for (const auto& [label, count] : counts) {
    absl::StrAppendFormat(&out, "  %s  %s\n", PadRight(label, label_width),
                          PadLeft(absl::StrCat(count), 3));
  }
  absl::StrAppendFormat(&out, "Quá hạn mà chưa gửi: %d đơn vị.\n", status.overdue());
  return out;
}

std::string RenderDistrictPlanSummary(const v1::GetDistrictPlanSummaryResponse& summary,
                                      bool include_drafts) {
  std::string out = absl::StrFormat("Tổng hợp kế hoạch của các xã theo %s\n", summary.directive());
  absl::StrAppendFormat(&out, "%s: %d kế hoạch.\n",
                        include_drafts
                            ? "Tính mọi kế hoạch, kể cả dự thảo"
                            : "Tính các kế hoạch đã gửi huyện (đã gửi, trả lại, đã chấp nhận)",
                        summary.plans_size());
  if (!summary.agency().empty()) {
    absl::StrAppendFormat(&out, "Chỉ các chỉ tiêu do %s phụ trách.\n", summary.agency());
  }

  out += "\nMục tiêu theo chỉ tiêu:\n";
  if (summary.indicators().empty()) {
    out += "Không có kế hoạch nào đặt mục tiêu cho chỉ tiêu nào.\n";
  } else {
    Table table({"Chỉ tiêu", "Trọng tâm", "Số xã", "Đạt chuẩn trong năm", "Các xã"});
    table.SetAlign(1, Table::Align::kCenter);
    table.SetAlign(2, Table::Align::kRight);
    table.SetAlign(3, Table::Align::kRight);
    bool any_focus = false;
    for (const v1::IndicatorTargets& indicator : summary.indicators()) {
      std::vector<std::string> codes;
      for (const std::string& unit : indicator.units()) {
        codes.push_back(UnitCode(unit));
      }
      any_focus = any_focus || indicator.focus();
      table.AddRow({indicator.indicator_code(), indicator.focus() ? kFocusMark : "",
                    absl::StrCat(indicator.units_size()),
                    absl::StrCat(indicator.reach_standard_count()), absl::StrJoin(codes, ", ")});
    }
    out += table.Render();
    if (any_focus) {
      out += kFocusLegend;
    }
  }

  int64_t sum = 0;
  out += "\nKinh phí:\n";
  out += GroupAmountTable(summary.funding_by_group(), &sum);
  out += "\n";
  out += SourceAmountTable(summary.funding_by_source(), &sum);
  absl::StrAppendFormat(&out, "\nTổng kinh phí (cộng tổng của các kế hoạch): %s\n",
                        FormatDong(summary.funding_total_dong()));
  return out;
}

}  // namespace ntm::ntmctl
