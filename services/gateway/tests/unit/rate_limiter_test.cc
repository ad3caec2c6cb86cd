// The per-principal token bucket, with time passed in.
#include "services/gateway/proxy/rate_limiter.h"

#include <gtest/gtest.h>

namespace ntm::gateway {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1707523200);

TEST(RateLimiterTest, ABurstThenTheSustainedRatePerPrincipal) {
  RateLimiter limiter(RateLimit{2, 4});
  absl::Duration wait;
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(limiter.TryAcquire("bhxh", kT0, &wait)) << i;
  }
  EXPECT_FALSE(limiter.TryAcquire("bhxh", kT0, &wait));
  EXPECT_EQ(wait, absl::Milliseconds(500));
  // Another principal has its own bucket.
  EXPECT_TRUE(limiter.TryAcquire("yte", kT0, &wait));
  // Half a second later: one more call (2 per second), not two.
  EXPECT_TRUE(limiter.TryAcquire("bhxh", kT0 + absl::Milliseconds(500), &wait));
  EXPECT_FALSE(limiter.TryAcquire("bhxh", kT0 + absl::Milliseconds(500), &wait));
  // A long pause refills only up to the burst.
  const absl::Time later = kT0 + absl::Hours(1);
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(limiter.TryAcquire("bhxh", later, &wait)) << i;
  }
  EXPECT_FALSE(limiter.TryAcquire("bhxh", later, &wait));
  EXPECT_EQ(limiter.refused(), 3u);
}

TEST(RateLimiterTest, ZeroTurnsLimitingOff) {
  RateLimiter limiter(RateLimit{0, 0});
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(limiter.TryAcquire("bhxh", kT0, nullptr));
  }
  EXPECT_EQ(limiter.refused(), 0u);
}

}  // namespace
}  // namespace ntm::gateway
