#include "tools/ntmctl/render_registrations.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "tools/ntmctl/render_plans.h"
#include "tools/ntmctl/table.h"
#include "tools/ntmctl/text.h"

namespace ntm::ntmctl {
namespace {

namespace v1 = ::ntm::registrations::v1;

constexpr int kNameWidth = 24;

// "units/03424" → "03424"; any other text as it is.
std::string Code(absl::string_view unit) { return std::string(absl::StripPrefix(unit, "units/")); }

// `text` trimmed, or "–" when empty.
std::string OrDash(absl::string_view text) {
  const absl::string_view trimmed = TrimSpace(text);
  return trimmed.empty() ? "–" : OneLine(trimmed);
}

std::string Codes(const google::protobuf::RepeatedPtrField<std::string>& codes) {
  return codes.empty() ? "–" : absl::StrJoin(codes, ", ");
}

std::string StateChange(v1::RegistrationState from, v1::RegistrationState to) {
  if (from == v1::REGISTRATION_STATE_UNSPECIFIED || from == to) {
    return RegistrationStateLabel(to);
  }
  return absl::StrCat(RegistrationStateLabel(from), " → ", RegistrationStateLabel(to));
}

// The reasons of a return (one per line) on one line, separated by "; ".
std::string ReasonsOnOneLine(absl::string_view reasons) {
  std::vector<absl::string_view> parts;
  for (const absl::string_view line : absl::StrSplit(reasons, '\n')) {
    if (const absl::string_view trimmed = TrimSpace(line); !trimmed.empty()) {
      parts.push_back(trimmed);
    }
  }
  return absl::StrJoin(parts, "; ");
}

std::string ModelPointLines(const v1::ModelPoint& point, absl::string_view indent) {
  std::string out;
  absl::StrAppend(&out, indent, "Nội dung: ", OrDash(point.content()), "\n");
  absl::StrAppend(&out, indent, "Địa điểm: ", OrDash(point.place()), "\n");
  absl::StrAppend(&out, indent, "Chủ đề: ", OrDash(point.topic()), "\n");
  absl::StrAppend(&out, indent, "Chỉ tiêu: ", Codes(point.indicator_codes()), "\n");
  return out;
}

// One village: its change this year (or that it has none) and the one of the year before.
std::string VillageBlock(absl::string_view village, absl::string_view display_name,
                         const v1::VillageChange* change) {
  std::string out =
      absl::StrFormat("  %s (%s)%s\n", display_name.empty() ? "–" : std::string(display_name),
                      Code(village), change == nullptr ? " — CHƯA ĐĂNG KÝ" : "");
  if (change != nullptr) {
    absl::StrAppend(&out, "    Thay đổi: ", OrDash(change->content()), "\n");
    if (!TrimSpace(change->place()).empty()) {
      absl::StrAppend(&out, "    Địa điểm: ", OneLine(TrimSpace(change->place())), "\n");
    }
    absl::StrAppend(&out, "    Chỉ tiêu: ", Codes(change->indicator_codes()), "\n");
    absl::StrAppend(&out, "    Hiện trạng: ", OrDash(change->last_year_state()), "\n");
    absl::StrAppend(&out, "    Mục tiêu cuối năm: ", OrDash(change->this_year_target()), "\n");
  }
  if (change != nullptr && change->has_previous()) {
    const v1::PreviousChange& previous = change->previous();
    absl::StrAppendFormat(&out, "    Năm %d đã đăng ký: %s", previous.year(),
                          OrDash(previous.content()));
    if (!TrimSpace(previous.this_year_target()).empty()) {
      absl::StrAppend(&out, " (mục tiêu: ", OneLine(TrimSpace(previous.this_year_target())), ")");
    }
    out += "\n";
  } else if (change != nullptr) {
    out += "    Năm trước: không có đăng ký.\n";
  }
  return out;
}

std::string SubmissionText(const v1::Registration& r) {
  if (!r.has_submit_time()) {
    return "";
  }
  return absl::StrCat("gửi lúc ", FormatLocalTime(r.submit_time()),
                      r.submitted_late() ? ", nộp muộn" : ", đúng hạn");
}

}  // namespace

std::string RegistrationStateLabel(v1::RegistrationState state) {
  switch (state) {
    case v1::REGISTRATION_STATE_DRAFT:
      return "Dự thảo";
    case v1::REGISTRATION_STATE_SUBMITTED:
      return "Đã gửi";
    case v1::REGISTRATION_STATE_RETURNED:
      return "Trả lại";
    case v1::REGISTRATION_STATE_ACCEPTED:
      return "Đã chấp nhận";
    default:
      return "–";
  }
}

std::string RegistrationProgressLabel(v1::RegistrationProgress progress) {
  switch (progress) {
    case v1::REGISTRATION_PROGRESS_NOT_STARTED:
      return "Chưa bắt đầu";
    case v1::REGISTRATION_PROGRESS_INCOMPLETE:
      return "Chưa đủ";
    case v1::REGISTRATION_PROGRESS_COMPLETE:
      return "Đủ";
    default:
      return "–";
  }
}

std::string EndorsementBodyLabel(v1::EndorsementBody body) {
  switch (body) {
    case v1::ENDORSEMENT_BODY_PARTY_COMMITTEE:
      return "Đảng ủy xã";
    case v1::ENDORSEMENT_BODY_PEOPLES_COUNCIL:
      return "HĐND xã";
    case v1::ENDORSEMENT_BODY_PEOPLES_COMMITTEE:
      return "UBND xã";
    case v1::ENDORSEMENT_BODY_STEERING_COMMITTEE:
      return "Ban chỉ đạo xã";
    default:
      return "–";
  }
}

std::string RenderRegistration(const v1::Registration& r) {
  std::string out = absl::StrFormat("Bản đăng ký: %s\n", r.name());
  absl::StrAppendFormat(&out, "Đơn vị: %s (%s)\n", OrDash(r.unit_display_name()), r.unit());
  absl::StrAppendFormat(&out, "Theo văn bản chỉ đạo: %s (năm %d)\n", r.directive(), r.year());
  absl::StrAppendFormat(&out, "Trạng thái: %s\n", RegistrationStateLabel(r.state()));
  absl::StrAppendFormat(&out, "Hạn nộp: %s (giờ Việt Nam)\n",
                        r.has_deadline() ? FormatLocalTime(r.deadline()) : "–");
  if (r.has_submit_time()) {
    absl::StrAppendFormat(&out, "Gửi lúc: %s%s\n", FormatLocalTime(r.submit_time()),
                          r.submitted_late() ? " — nộp muộn" : " — đúng hạn");
  } else {
    out += "Gửi lúc: chưa gửi\n";
  }
  if (r.has_update_time()) {
    absl::StrAppendFormat(&out, "Cập nhật: %s bởi %s\n", FormatLocalTime(r.update_time()),
                          OrDash(r.updated_by()));
  }
  absl::StrAppendFormat(&out, "etag: %s\n", r.etag());

  out += "\n1. Mô hình điểm của xã\n";
  if (r.has_model_point()) {
    out += ModelPointLines(r.model_point(), "  ");
  } else {
    out += "  (chưa đăng ký)\n";
  }

  // Every village the registration lists, registered or not; changes of villages it does not
  // list (none from this service) after them.
  int registered = 0;
  std::string villages;
  std::vector<bool> shown(r.village_changes_size(), false);
  for (const v1::VillageStatus& village : r.villages()) {
    const v1::VillageChange* change = nullptr;
    for (int i = 0; i < r.village_changes_size(); ++i) {
      if (r.village_changes(i).village() == village.village()) {
        change = &r.village_changes(i);
        shown[i] = true;
      }
    }
    registered += change != nullptr ? 1 : 0;
    villages += VillageBlock(village.village(), village.village_display_name(), change);
  }
  for (int i = 0; i < r.village_changes_size(); ++i) {
    if (!shown[i]) {
      const v1::VillageChange& change = r.village_changes(i);
      ++registered;
      villages += VillageBlock(change.village(), change.village_display_name(), &change);
    }
  }
  const int total = std::max(r.villages_size(), registered);
  absl::StrAppendFormat(&out,
                        "\n2. Thay đổi của từng bản so với năm trước (%d/%d bản đã đăng ký)\n",
                        registered, total);
  out += villages.empty() ? "  (xã không có bản nào trong danh mục)\n" : villages;

  out += "\n3. Xác nhận\n";
  Table endorsements({"Cơ quan", "Người ký", "Ngày"});
  for (int body = v1::ENDORSEMENT_BODY_PARTY_COMMITTEE;
       body <= v1::ENDORSEMENT_BODY_STEERING_COMMITTEE; ++body) {
    const v1::Endorsement* found = nullptr;
    for (const v1::Endorsement& e : r.endorsements()) {
      if (e.body() == body) {
        found = &e;
      }
    }
    endorsements.AddRow(
        {EndorsementBodyLabel(static_cast<v1::EndorsementBody>(body)),
         found == nullptr ? "CHƯA CÓ" : OneLine(found->signed_by()),
         found == nullptr || found->date().empty() ? "" : FormatDateVi(found->date())});
  }
  for (const absl::string_view line :
       absl::StrSplit(endorsements.Render(), '\n', absl::SkipEmpty())) {
    absl::StrAppend(&out, "  ", line, "\n");
  }

  if (r.missing().empty()) {
    out += "\nĐủ nội dung để gửi huyện.\n";
  } else {
    absl::StrAppendFormat(&out, "\nCòn thiếu (%d):\n", r.missing_size());
    for (const std::string& item : r.missing()) {
      absl::StrAppend(&out, "  - ", item, "\n");
    }
  }

  if (!r.history().empty()) {
    out += "\nLịch sử:\n";
    Table table({"Thời gian", "Thao tác", "Người thực hiện", "Trạng thái", "Lý do, ghi chú"});
    for (const v1::RegistrationEvent& event : r.history()) {
      table.AddRow({event.has_time() ? FormatLocalTime(event.time()) : "–",
                    PlanActionLabel(event.action()), event.actor(),
                    StateChange(event.from_state(), event.to_state()),
                    ReasonsOnOneLine(event.reason())});
    }
    for (const absl::string_view line : absl::StrSplit(table.Render(), '\n', absl::SkipEmpty())) {
      absl::StrAppend(&out, "  ", line, "\n");
    }
  }
  return out;
}

std::string RenderRegistrationBrief(const v1::Registration& r) {
  std::string out = absl::StrFormat("Bản đăng ký: %s", r.name());
  if (!r.unit_display_name().empty()) {
    absl::StrAppendFormat(&out, " (%s)", r.unit_display_name());
  }
  const std::string submission = SubmissionText(r);
  absl::StrAppendFormat(&out, "\nTrạng thái: %s%s\n", RegistrationStateLabel(r.state()),
                        submission.empty() ? "" : absl::StrCat(" — ", submission));
  if (!r.missing().empty()) {
    absl::StrAppendFormat(&out, "Còn thiếu: %s\n", absl::StrJoin(r.missing(), "; "));
  }
  absl::StrAppendFormat(&out, "etag: %s\n", r.etag());
  return out;
}

std::string RenderRegistrationStatus(const v1::GetRegistrationStatusResponse& status) {
  std::string out = absl::StrFormat("Tình hình đăng ký mô hình điểm, thay đổi của bản theo %s",
                                    status.directive());
  if (status.has_as_of()) {
    absl::StrAppendFormat(&out, ", tính đến %s", FormatLocalTime(status.as_of()));
  }
  out += " (giờ Việt Nam)\n\n";
  if (status.units().empty()) {
    out += "Văn bản không giao đăng ký cho đơn vị nào.\n";
    return out;
  }
  Table table({"Mã", "Tên", "Tiến độ", "Trạng thái", "Bản đã ĐK", "Hạn nộp", "Gửi lúc", "Quá hạn"});
  table.SetMaxWidth(1, kNameWidth);
  table.SetAlign(4, Table::Align::kRight);
  for (const v1::UnitRegistration& unit : status.units()) {
    std::string submitted;
    if (unit.has_submit_time()) {
      submitted = FormatLocalTime(unit.submit_time());
      if (unit.submitted_late()) {
        absl::StrAppend(&submitted, " (muộn)");
      }
    }
    const int villages = unit.villages_size();
    table.AddRow(
        {Code(unit.unit()), unit.unit_display_name(), RegistrationProgressLabel(unit.progress()),
         unit.state() == v1::REGISTRATION_STATE_UNSPECIFIED ? ""
                                                            : RegistrationStateLabel(unit.state()),
         absl::StrCat(villages - unit.villages_missing(), "/", villages),
         unit.has_deadline() ? FormatLocalTime(unit.deadline()) : "–", submitted,
         unit.overdue() ? "QUÁ HẠN" : ""});
  }
  out += table.Render();

  std::string missing;
  for (const v1::UnitRegistration& unit : status.units()) {
    if (unit.progress() != v1::REGISTRATION_PROGRESS_INCOMPLETE) {
      continue;
    }
    absl::StrAppendFormat(&missing, "  %s (%s):\n", unit.unit_display_name(), Code(unit.unit()));
    for (const std::string& item : unit.missing()) {
      absl::StrAppend(&missing, "    - ", item, "\n");
    }
  }
  if (!missing.empty()) {
    out += "\nCòn thiếu, theo xã đã bắt đầu đăng ký:\n";
    out += missing;
  }
  absl::StrAppendFormat(&out,
                        "\nTổng %d xã: %d chưa bắt đầu, %d chưa đủ, %d đủ. Bản chưa đăng ký thay "
                        "đổi: %d. Quá hạn mà chưa gửi: %d xã.\n",
                        status.units_size(), status.not_started(), status.incomplete(),
                        status.complete(), status.villages_missing(), status.overdue());
  return out;
}

std::string RenderDistrictModelPoint(const v1::DistrictModelPoint& point) {
  std::string out =
      absl::StrFormat("Mô hình điểm của huyện năm %d (%s)\n", point.year(), point.directive());
  if (point.registration().empty()) {
    out += "Nguồn: huyện tự chọn\n";
  } else {
    absl::StrAppendFormat(&out, "Nguồn: đề xuất của xã trong %s\n", point.registration());
  }
  out += ModelPointLines(point.model_point(), "");
  absl::StrAppendFormat(&out, "Chọn bởi %s lúc %s (giờ Việt Nam)\n", OrDash(point.chosen_by()),
                        point.has_choose_time() ? FormatLocalTime(point.choose_time()) : "–");
  return out;
}

}  // namespace ntm::ntmctl
