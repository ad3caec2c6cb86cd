// When reminders go out: the working-day calendar (weekends and public holidays) and, from a
// unit's deadline, the reminder slots before and after it at a fixed local hour. Pure functions
// of their inputs; no clock, no I/O.
#ifndef NTM_SERVICES_NOTIFICATIONS_DOMAIN_SCHEDULE_H_
#define NTM_SERVICES_NOTIFICATIONS_DOMAIN_SCHEDULE_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace ntm::notifications {

// Which days are working days: Monday to Friday, except public holidays.
class WorkCalendar {
 public:
  WorkCalendar() = default;
  explicit WorkCalendar(std::set<absl::CivilDay> holidays) : holidays_(std::move(holidays)) {}

  // Reads a calendar file: a JSON object whose "holidays" is a list of {"date": "YYYY-MM-DD",
  // "name": "..."} or of {"from": ..., "to": ..., "name": ...} ranges (both ends included).
  // INVALID_ARGUMENT naming the entry for a malformed date, a range that ends before it starts,
  // or one longer than 31 days.
  static absl::StatusOr<WorkCalendar> FromJson(absl::string_view json);

  bool IsWorkingDay(absl::CivilDay day) const;
  // The working day on or before / on or after `day` (at most a year away; past that, `day`).
  absl::CivilDay WorkingDayOnOrBefore(absl::CivilDay day) const;
  absl::CivilDay WorkingDayOnOrAfter(absl::CivilDay day) const;
  const std::set<absl::CivilDay>& holidays() const { return holidays_; }

 private:
  std::set<absl::CivilDay> holidays_;
};

// The reminder policy: offsets in days from the deadline's day, and the hour they go out.
struct ReminderPolicy {
  // Before the deadline: days before its day (0 = on the day), e.g. {7, 3, 1, 0}.
  std::vector<int> days_before = {7, 3, 1, 0};
  // After it: the first reminder this many days after the deadline's day, then every
  // `repeat_days`, while at most `max_days_after` days after it.
  int first_day_after = 1;
  int repeat_days = 3;
  int max_days_after = 30;
  // The local hour (Asia/Ho_Chi_Minh) they go out, 0–23.
  int hour = 8;
};

// Checks a policy: offsets 0–60 without repeats, first_day_after ≥ 1, repeat_days ≥ 1,
// max_days_after 0–365, hour 0–23. INVALID_ARGUMENT naming the setting.
absl::Status ValidatePolicy(const ReminderPolicy& policy);

// One reminder slot of a unit's deadline.
struct Slot {
  // The nominal offset, stable across calendars: "d-7", "d-3", "d-1", "d-0", "d+1", "d+4", ….
  // Part of the reminder's idempotency key.
  std::string offset;
  // Days from the deadline's day: negative before, positive after (nominal, before moving to a
  // working day).
  int days = 0;
  // When it goes out: `hour` local time on the working day the nominal day moved to.
  absl::Time due;
  // The day it goes out (local).
  absl::CivilDay day;
  // After the deadline (an overdue reminder, copied to the district).
  bool after = false;
};

// Every slot of a deadline, in time order. A nominal day that is not a working day moves to the
// working day before (before the deadline) or after (after it); when several slots land on the
// same day only the one nearest the deadline is kept. A slot before the deadline whose time is
// not before the deadline itself is dropped (a deadline at 07:00 gets no 08:00 reminder that
// day).
std::vector<Slot> ReminderSlots(absl::Time deadline, const ReminderPolicy& policy,
                                const WorkCalendar& calendar);

// The latest slot due at `now` (due ≤ now), if any: the one to send when a unit still owes the
// deliverable. Earlier slots it supersedes are not sent late.
std::optional<Slot> LatestDue(const std::vector<Slot>& slots, absl::Time now);

// Whole local days from `day` to the deadline's day (negative once past).
int DaysLeft(absl::CivilDay day, absl::Time deadline);

}  // namespace ntm::notifications

#endif  // NTM_SERVICES_NOTIFICATIONS_DOMAIN_SCHEDULE_H_
