#include "services/gateway/proxy/rate_limiter.h"

#include <algorithm>

namespace ntm::gateway {

bool RateLimiter::TryAcquire(absl::string_view principal, absl::Time now,
                             absl::Duration* retry_after) {
  if (limit_.per_second <= 0) {
    return true;
  }
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(principal);
  if (it == buckets_.end()) {
    it = buckets_.emplace(std::string(principal), Bucket{limit_.burst, now}).first;
  }
  Bucket& b = it->second;
  if (now > b.updated) {
    b.tokens = std::min(limit_.burst,
                        b.tokens + absl::ToDoubleSeconds(now - b.updated) * limit_.per_second);
    b.updated = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return true;
  }
  ++refused_;
  if (retry_after != nullptr) {
    *retry_after = absl::Seconds((1 - b.tokens) / limit_.per_second);
  }
  return false;
}

uint64_t RateLimiter::refused() const {
  absl::MutexLock lock(&mu_);
  return refused_;
}

}  // namespace ntm::gateway
