#include "services/common/clock.h"

namespace ntm {

absl::TimeZone VietnamTimeZone() {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone("Asia/Ho_Chi_Minh", &tz)) {
    // Without the tz database the fixed offset is exact: Vietnam has no daylight saving.
    tz = absl::FixedTimeZone(7 * 60 * 60);
  }
  return tz;
}

}  // namespace ntm
