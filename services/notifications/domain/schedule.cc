#include "services/notifications/domain/schedule.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/clock.h"

namespace ntm::notifications {
namespace {

constexpr int kSearchDays = 366;

absl::StatusOr<absl::CivilDay> Day(absl::string_view field, const google::protobuf::Value& v) {
  absl::CivilDay day;
  if (!v.has_string_value() || v.string_value().size() != 10 ||
      !absl::ParseCivilTime(v.string_value(), &day)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": expected a date \"YYYY-MM-DD\""));
  }
  return day;
}

}  // namespace

absl::StatusOr<WorkCalendar> WorkCalendar::FromJson(absl::string_view json) {
  google::protobuf::Struct root;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(
           google::protobuf::StringPiece(json.data(), json.size()), &root, options)
           .ok()) {
    return absl::InvalidArgumentError("calendar: not a JSON object");
  }
  const auto it = root.fields().find("holidays");
  if (it == root.fields().end() || !it->second.has_list_value()) {
    return absl::InvalidArgumentError("calendar: \"holidays\" must be a list");
  }
  std::set<absl::CivilDay> days;
  const auto& list = it->second.list_value().values();
  for (int i = 0; i < list.size(); ++i) {
    const std::string field = absl::StrCat("holidays[", i, "]");
    if (!list[i].has_struct_value()) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": expected an object"));
    }
    const auto& f = list[i].struct_value().fields();
    if (const auto date = f.find("date"); date != f.end()) {
      absl::StatusOr<absl::CivilDay> d = Day(absl::StrCat(field, ".date"), date->second);
      if (!d.ok()) {
        return d.status();
      }
      days.insert(*d);
      continue;
    }
    const auto from = f.find("from");
    const auto to = f.find("to");
    if (from == f.end() || to == f.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": needs \"date\", or \"from\" and \"to\""));
    }
    absl::StatusOr<absl::CivilDay> a = Day(absl::StrCat(field, ".from"), from->second);
    if (!a.ok()) {
      return a.status();
    }
    absl::StatusOr<absl::CivilDay> b = Day(absl::StrCat(field, ".to"), to->second);
    if (!b.ok()) {
      return b.status();
    }
    if (*b < *a || *b - *a > 31) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": \"to\" must be on or after \"from\", at most 31 days later"));
    }
    for (absl::CivilDay d = *a; d <= *b; ++d) {
      days.insert(d);
    }
  }
  return WorkCalendar(std::move(days));
}

bool WorkCalendar::IsWorkingDay(absl::CivilDay day) const {
  const absl::Weekday w = absl::GetWeekday(day);
  if (w == absl::Weekday::saturday || w == absl::Weekday::sunday) {
    return false;
  }
  return !holidays_.contains(day);
}

absl::CivilDay WorkCalendar::WorkingDayOnOrBefore(absl::CivilDay day) const {
  for (int i = 0; i < kSearchDays; ++i) {
    if (IsWorkingDay(day - i)) {
      return day - i;
    }
  }
  return day;
}

absl::CivilDay WorkCalendar::WorkingDayOnOrAfter(absl::CivilDay day) const {
  for (int i = 0; i < kSearchDays; ++i) {
    if (IsWorkingDay(day + i)) {
      return day + i;
    }
  }
  return day;
}

absl::Status ValidatePolicy(const ReminderPolicy& p) {
  std::set<int> seen;
  for (int d : p.days_before) {
    if (d < 0 || d > 60) {
      return absl::InvalidArgumentError(
          absl::StrCat("reminder days before: ", d, " is not between 0 and 60"));
    }
    if (!seen.insert(d).second) {
      return absl::InvalidArgumentError(absl::StrCat("reminder days before: ", d, " given twice"));
    }
  }
  if (p.first_day_after < 1 || p.first_day_after > 365) {
    return absl::InvalidArgumentError("reminder first day after: must be 1–365");
  }
  if (p.repeat_days < 1 || p.repeat_days > 365) {
    return absl::InvalidArgumentError("reminder repeat days: must be 1–365");
  }
  if (p.max_days_after < 0 || p.max_days_after > 365) {
    return absl::InvalidArgumentError("reminder max days after: must be 0–365");
  }
  if (p.hour < 0 || p.hour > 23) {
    return absl::InvalidArgumentError("reminder hour: must be 0–23");
  }
  return absl::OkStatus();
}

std::vector<Slot> ReminderSlots(absl::Time deadline, const ReminderPolicy& policy,
                                const WorkCalendar& calendar) {
  const absl::TimeZone tz = VietnamTimeZone();
  const absl::CivilDay deadline_day = absl::ToCivilDay(deadline, tz);
  const auto at_hour = [&](absl::CivilDay day) {
    return absl::FromCivil(absl::CivilHour(day.year(), day.month(), day.day(), policy.hour), tz);
  };
  // By the day they go out; on a shared day the slot nearest the deadline wins.
  std::map<absl::CivilDay, Slot> by_day;
  for (int before : policy.days_before) {
    Slot s;
    s.days = -before;
    s.offset = absl::StrCat("d-", before);
    s.day = calendar.WorkingDayOnOrBefore(deadline_day - before);
    s.due = at_hour(s.day);
    if (s.due >= deadline) {
      continue;
    }
    auto [it, inserted] = by_day.emplace(s.day, s);
    if (!inserted && std::abs(s.days) < std::abs(it->second.days)) {
      it->second = s;
    }
  }
  for (int after = policy.first_day_after; after <= policy.max_days_after;
       after += policy.repeat_days) {
    Slot s;
    s.days = after;
    s.after = true;
    s.offset = absl::StrCat("d+", after);
    s.day = calendar.WorkingDayOnOrAfter(deadline_day + after);
    s.due = at_hour(s.day);
    if (s.due <= deadline) {
      continue;
    }
    auto [it, inserted] = by_day.emplace(s.day, s);
    if (!inserted && !it->second.after) {
      // A reminder before the deadline and one after it cannot share a day: the deadline lies
      // between them. Kept as the earlier (before) one.
      continue;
    }
  }
  std::vector<Slot> out;
  out.reserve(by_day.size());
  for (auto& [day, slot] : by_day) {
    out.push_back(std::move(slot));
  }
  return out;
}

std::optional<Slot> LatestDue(const std::vector<Slot>& slots, absl::Time now) {
  std::optional<Slot> latest;
  for (const Slot& s : slots) {
    if (s.due <= now) {
      latest = s;
    }
  }
  return latest;
}

int DaysLeft(absl::CivilDay day, absl::Time deadline) {
  return static_cast<int>(absl::ToCivilDay(deadline, VietnamTimeZone()) - day);
}

}  // namespace ntm::notifications
