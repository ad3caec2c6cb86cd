#include "services/notifications/domain/texts.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/clock.h"
#include "services/common/request.h"

namespace ntm::notifications {
namespace {

constexpr char kSystem[] = "system";

std::string DateText(absl::CivilDay day) {
  return absl::StrFormat("%02d/%02d/%04d", day.day(), day.month(), day.year());
}

std::string UnitName(const std::string& code) { return absl::StrCat("units/", code); }

std::string DirectiveLabel(const DirectiveInfo& d) {
  return d.title.empty() ? d.name : absl::StrCat(d.title, " (", d.name, ")");
}

std::string Capitalized(const std::string& text) {
  // The deliverable texts start with a lower-case ASCII letter ("kế hoạch", "đăng ký"), or with
  // "đ", whose capital is "Đ".
  if (absl::StartsWith(text, "đ")) {
    return absl::StrCat("Đ", text.substr(std::string("đ").size()));
  }
  std::string out = text;
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') {
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  }
  return out;
}

// A payload's fields; INVALID_ARGUMENT when it is not a JSON object.
absl::StatusOr<google::protobuf::Struct> Payload(const IncomingEvent& e) {
  google::protobuf::Struct s;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(e.payload_json, &s, options).ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", e.event_id, ": payload_json is not a JSON object"));
  }
  return s;
}

std::string Field(const google::protobuf::Struct& s, const std::string& name) {
  const auto it = s.fields().find(name);
  if (it == s.fields().end() || !it->second.has_string_value()) {
    return "";
  }
  return it->second.string_value();
}

absl::StatusOr<std::string> Required(const IncomingEvent& e, const google::protobuf::Struct& s,
                                     const std::string& name) {
  std::string v = Field(s, name);
  if (v.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", e.event_id, " (", e.type, "): payload lacks \"", name, "\""));
  }
  return v;
}

std::vector<std::string> StringList(const google::protobuf::Struct& s, const std::string& name) {
  std::vector<std::string> out;
  const auto it = s.fields().find(name);
  if (it == s.fields().end() || !it->second.has_list_value()) {
    return out;
  }
  for (const auto& v : it->second.list_value().values()) {
    if (v.has_string_value()) {
      out.push_back(v.string_value());
    }
  }
  return out;
}

absl::StatusOr<absl::Time> TimeField(const IncomingEvent& e, const google::protobuf::Struct& s,
                                     const std::string& name) {
  absl::StatusOr<std::string> text = Required(e, s, name);
  if (!text.ok()) {
    return text.status();
  }
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, *text, &t, &err)) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", e.event_id, ": \"", name, "\" is not an RFC 3339 time: ", err));
  }
  return t;
}

// The base of a notification made from an event: its dedupe key names the event and the inbox.
Notification FromEvent(const IncomingEvent& e, const std::string& inbox, Kind kind) {
  Notification n;
  n.inbox = inbox;
  n.kind = kind;
  n.sender = kSystem;
  n.dedupe_key = absl::StrCat("event/", e.event_id, "/", inbox);
  return n;
}

}  // namespace

std::string DeliverableText(const std::string& deliverable) {
  if (deliverable == kPlan) {
    return "kế hoạch xây dựng nông thôn mới";
  }
  if (deliverable == kRegistration) {
    return "đăng ký mô hình điểm và thay đổi của các bản";
  }
  return deliverable;
}

std::string LocalDateTimeText(absl::Time t) {
  return absl::FormatTime("%d/%m/%Y %H:%M", t, VietnamTimeZone());
}

Notification ReminderNotification(const DirectiveInfo& directive, const std::string& deliverable,
                                  const OwingUnit& unit, const Slot& slot) {
  Notification n;
  n.inbox = UnitName(unit.unit_code);
  n.kind = slot.after ? Kind::kOverdue : Kind::kReminder;
  n.directive = directive.name;
  n.deliverable = deliverable;
  n.unit = UnitName(unit.unit_code);
  n.sender = kSystem;
  n.deadline_local = LocalTime(unit.deadline);
  n.dedupe_key = absl::StrCat("reminder/", unit.unit_code, "/", directive.id, "/", deliverable, "/",
                              slot.offset);
  const std::string what = DeliverableText(deliverable);
  const std::string deadline = LocalDateTimeText(unit.deadline);
  const int left = DaysLeft(slot.day, unit.deadline);
  if (!slot.after) {
    const std::string when = left <= 0 ? "hết hạn hôm nay" : absl::StrCat("còn ", left, " ngày");
    n.title =
        absl::StrFormat("Nhắc nộp %s năm %d: %s (hạn %s)", what, directive.year, when, deadline);
    n.body = absl::StrFormat(
        "%s chưa gửi %s theo %s. Hạn nộp: %s (giờ Việt Nam)%s. Đề nghị hoàn thành và gửi lên "
        "huyện trước hạn.",
        unit.display_name.empty() ? n.unit : unit.display_name, what, DirectiveLabel(directive),
        deadline, unit.extended ? ", đã được gia hạn" : "");
  } else {
    n.title = absl::StrFormat("Quá hạn nộp %s năm %d: đã quá %d ngày (hạn %s)", what,
                              directive.year, -left, deadline);
    n.body = absl::StrFormat(
        "%s chưa gửi %s theo %s; hạn nộp %s (giờ Việt Nam) đã qua %d ngày. Đề nghị gửi ngay; "
        "Văn phòng điều phối NTM huyện đã được thông báo.",
        unit.display_name.empty() ? n.unit : unit.display_name, what, DirectiveLabel(directive),
        deadline, -left);
  }
  return n;
}

Notification OverdueDigest(const DirectiveInfo& directive, const std::string& deliverable,
                           const Slot& slot, const std::vector<OwingUnit>& units) {
  Notification n;
  n.inbox = UnitName(directive.issuing_unit_code);
  n.kind = Kind::kOverdue;
  n.directive = directive.name;
  n.deliverable = deliverable;
  n.sender = kSystem;
  n.deadline_local = LocalTime(directive.deadline);
  n.dedupe_key = absl::StrCat("overdue-digest/", directive.issuing_unit_code, "/", directive.id,
                              "/", deliverable, "/", slot.offset);
  n.title =
      absl::StrFormat("%d xã chưa gửi %s năm %d (quá hạn, ngày %s)", static_cast<int>(units.size()),
                      DeliverableText(deliverable), directive.year, DateText(slot.day));
  std::vector<std::string> lines;
  for (const OwingUnit& u : units) {
    lines.push_back(absl::StrFormat("- %s (%s), hạn %s%s", u.display_name, UnitName(u.unit_code),
                                    LocalDateTimeText(u.deadline),
                                    u.extended ? " (đã gia hạn)" : ""));
  }
  n.body = absl::StrCat(Capitalized(DeliverableText(deliverable)), " theo ",
                        DirectiveLabel(directive), " còn thiếu ở:\n", absl::StrJoin(lines, "\n"),
                        "\nCác xã trên đã được nhắc cùng lúc.");
  return n;
}

std::string DirectiveIdOfEvent(const IncomingEvent& event) {
  absl::StatusOr<google::protobuf::Struct> s = Payload(event);
  return s.ok() ? Field(*s, "directive") : "";
}

absl::StatusOr<EventEffect> EffectOfEvent(const IncomingEvent& e,
                                          const std::optional<DirectiveInfo>& known) {
  EventEffect effect;
  absl::StatusOr<google::protobuf::Struct> payload = Payload(e);
  if (!payload.ok()) {
    return payload.status();
  }
  const google::protobuf::Struct& p = *payload;

  if (e.type == "directive.created") {
    DirectiveInfo d;
    absl::StatusOr<std::string> id = Required(e, p, "directive");
    absl::StatusOr<std::string> name = Required(e, p, "name");
    absl::StatusOr<absl::Time> deadline = TimeField(e, p, "deadline");
    for (const absl::Status& s : {id.status(), name.status(), deadline.status()}) {
      if (!s.ok()) {
        return s;
      }
    }
    d.id = *id;
    d.name = *name;
    absl::string_view issuing = d.name;
    if (!absl::ConsumePrefix(&issuing, "units/") || issuing.find('/') == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("event ", e.event_id, ": \"name\" is not units/{code}/directives/{id}"));
    }
    d.issuing_unit_code = std::string(issuing.substr(0, issuing.find('/')));
    d.title = Field(p, "title");
    const auto year = p.fields().find("year");
    d.year = year != p.fields().end() && year->second.has_number_value()
                 ? static_cast<int>(year->second.number_value())
                 : 0;
    d.deliverables = StringList(p, "deliverables");
    d.deadline = *deadline;
    d.created_at = e.created_at;
    for (const std::string& unit : StringList(p, "units")) {
      Notification n = FromEvent(e, unit, Kind::kDirectiveIssued);
      n.directive = d.name;
      n.unit = unit;
      n.deadline_local = LocalTime(d.deadline);
      std::vector<std::string> asked;
      for (const std::string& what : d.deliverables) {
        asked.push_back(DeliverableText(what));
      }
      n.title =
          absl::StrFormat("Văn bản chỉ đạo mới: gửi %s năm %d trước %s",
                          absl::StrJoin(asked, " và "), d.year, LocalDateTimeText(d.deadline));
      n.body =
          absl::StrFormat("%s đề nghị xã gửi %s. Hạn nộp: %s (giờ Việt Nam).", DirectiveLabel(d),
                          absl::StrJoin(asked, " và "), LocalDateTimeText(d.deadline));
      effect.notifications.push_back(std::move(n));
    }
    effect.directive = std::move(d);
    return effect;
  }

  if (!known.has_value()) {
    // An event about a directive this service never heard of: kept, nobody to tell.
    return effect;
  }
  const DirectiveInfo& d = *known;

  if (e.type == "directive.deadline_extended") {
    absl::StatusOr<std::string> unit = Required(e, p, "unit");
    absl::StatusOr<absl::Time> deadline = TimeField(e, p, "deadline");
    for (const absl::Status& s : {unit.status(), deadline.status()}) {
      if (!s.ok()) {
        return s;
      }
    }
    Notification n = FromEvent(e, *unit, Kind::kDeadlineExtended);
    n.directive = d.name;
    n.unit = *unit;
    n.deadline_local = LocalTime(*deadline);
    n.title = absl::StrFormat("Gia hạn nộp đến %s", LocalDateTimeText(*deadline));
    const std::string reason = Field(p, "reason");
    n.body = absl::StrFormat("Hạn nộp theo %s của đơn vị được gia hạn đến %s (giờ Việt Nam)%s",
                             DirectiveLabel(d), LocalDateTimeText(*deadline),
                             reason.empty() ? "." : absl::StrCat(". Lý do: ", reason));
    effect.notifications.push_back(std::move(n));
    return effect;
  }

  // plan.submit, plan.return, plan.accept and the same for registration.
  const std::vector<std::string> parts = absl::StrSplit(e.type, '.');
  if (parts.size() != 2 || (parts[0] != kPlan && parts[0] != kRegistration)) {
    return effect;
  }
  const std::string& deliverable = parts[0];
  const std::string& action = parts[1];
  if (action != "submit" && action != "return" && action != "accept") {
    return effect;
  }
  absl::StatusOr<std::string> unit = Required(e, p, "unit");
  if (!unit.ok()) {
    return unit.status();
  }
  const std::string unit_name =
      Field(p, "unit_display_name").empty() ? *unit : Field(p, "unit_display_name");
  const std::string what = DeliverableText(deliverable);
  const std::string subject =
      absl::StrCat(*unit, deliverable == kPlan ? "/plans/" : "/registrations/", d.id);
  const std::string reason = Field(p, "reason");
  Notification n;
  if (action == "submit") {
    n = FromEvent(e, UnitName(d.issuing_unit_code), Kind::kSubmitted);
    const auto late = p.fields().find("late");
    const bool is_late = late != p.fields().end() && late->second.bool_value();
    n.title =
        absl::StrFormat("%s đã gửi %s năm %d%s", unit_name, what, d.year, is_late ? " (muộn)" : "");
    n.body =
        absl::StrFormat("%s đã gửi %s theo %s%s. Xem và chấp nhận hoặc trả lại: %s.", unit_name,
                        what, DirectiveLabel(d), is_late ? ", sau hạn nộp" : "", subject);
  } else if (action == "return") {
    n = FromEvent(e, *unit, Kind::kReturned);
    n.title = absl::StrFormat("Huyện trả lại %s năm %d", what, d.year);
    std::vector<std::string> reasons = absl::StrSplit(reason, '\n', absl::SkipWhitespace());
    n.body = absl::StrFormat(
        "%s của %s theo %s được trả lại để sửa%s", Capitalized(what), unit_name, DirectiveLabel(d),
        reasons.empty() ? "." : absl::StrCat(":\n- ", absl::StrJoin(reasons, "\n- ")));
  } else {
    n = FromEvent(e, *unit, Kind::kAccepted);
    n.title = absl::StrFormat("Huyện đã chấp nhận %s năm %d", what, d.year);
    n.body = absl::StrFormat("%s của %s theo %s đã được chấp nhận%s", Capitalized(what), unit_name,
                             DirectiveLabel(d),
                             reason.empty() ? "." : absl::StrCat(". Ghi chú: ", reason));
  }
  n.directive = d.name;
  n.deliverable = deliverable;
  n.subject = subject;
  n.unit = *unit;
  effect.notifications.push_back(std::move(n));
  return effect;
}

}  // namespace ntm::notifications
