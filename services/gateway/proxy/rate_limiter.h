// Calls per principal: a token bucket for each principal, so that one agency's batch job cannot
// starve the others. Pure logic; time comes from the caller.
#ifndef NTM_SERVICES_GATEWAY_PROXY_RATE_LIMITER_H_
#define NTM_SERVICES_GATEWAY_PROXY_RATE_LIMITER_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ntm::gateway {

struct RateLimit {
  // Sustained calls per second each principal may make; 0 turns limiting off.
  double per_second = 20;
  // Calls a principal may make at once after being idle.
  double burst = 40;
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimit limit) : limit_(limit) {}

  // Takes one call from the principal's bucket. False when it is empty; then `retry_after` is how
  // long until the next call would be allowed.
  bool TryAcquire(absl::string_view principal, absl::Time now, absl::Duration* retry_after);

  const RateLimit& limit() const { return limit_; }
  uint64_t refused() const;

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time updated;
  };
  const RateLimit limit_;
  mutable absl::Mutex mu_;
  std::map<std::string, Bucket, std::less<>> buckets_ ABSL_GUARDED_BY(mu_);
  uint64_t refused_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_PROXY_RATE_LIMITER_H_
