// Time comes from a clock object so that tests can set it instead of sleeping.
#ifndef NTM_SERVICES_COMMON_CLOCK_H_
#define NTM_SERVICES_COMMON_CLOCK_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace ntm {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class SystemClock : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

// A clock that starts at a chosen instant and then runs with real time: a demonstration of a day
// in the past (e.g. the week of a 2024 deadline) on a running system.
class StartedClock : public Clock {
 public:
  explicit StartedClock(absl::Time start) : start_(start), origin_(absl::Now()) {}
  absl::Time Now() const override { return start_ + (absl::Now() - origin_); }

 private:
  absl::Time start_;
  absl::Time origin_;
};

// A clock that moves only when told to, for tests.
class ManualClock : public Clock {
 public:
  explicit ManualClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

// The clock a service runs on: the system's with `clock_start` empty, otherwise a StartedClock
// from that RFC 3339 instant (a demonstration; logged as a warning). INVALID_ARGUMENT naming
// --clock_start for anything else.
absl::StatusOr<std::unique_ptr<Clock>> ClockFromFlag(const std::string& clock_start);

// Vietnam's time zone for dates shown to people (UTC+7, no daylight saving).
absl::TimeZone VietnamTimeZone();

}  // namespace ntm

#endif  // NTM_SERVICES_COMMON_CLOCK_H_
