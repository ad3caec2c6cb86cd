#include "services/common/clock.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/common/log.h"

namespace ntm {

absl::TimeZone VietnamTimeZone() {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone("Asia/Ho_Chi_Minh", &tz)) {
    // Without the tz database the fixed offset is exact: Vietnam has no daylight saving.
    tz = absl::FixedTimeZone(7 * 60 * 60);
  }
  return tz;
}

absl::StatusOr<std::unique_ptr<Clock>> ClockFromFlag(const std::string& clock_start) {
  if (clock_start.empty()) {
    return std::make_unique<SystemClock>();
  }
  absl::Time start;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, clock_start, &start, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--clock_start: '", clock_start, "' is not an RFC 3339 time: ", error));
  }
  log::Warn(
      "the clock starts at a chosen instant for a demonstration; deadlines and reminders "
      "are judged against it",
      {{"clock_start", clock_start}});
  return std::make_unique<StartedClock>(start);
}

}  // namespace ntm
