#include "services/common/db/sql.h"

#include <gtest/gtest.h>

namespace ntm::db {
namespace {

TEST(Fixed4Test, RoundTripsExactly) {
  for (int64_t v : {0L, 1L, 955000L, 1000000L, 123456789L, -25L, -10000L}) {
    EXPECT_EQ(ParseFixed4(FormatFixed4(v)), v) << v;
  }
  EXPECT_EQ(FormatFixed4(955000), "95.5000");
  EXPECT_EQ(FormatFixed4(-25), "-0.0025");
  EXPECT_EQ(ParseFixed4("95.5"), 955000);
  EXPECT_EQ(ParseFixed4("100"), 1000000);
}

TEST(SqlTimeTest, FormatsUtcWithMicroseconds) {
  absl::Time t = absl::FromUnixMicros(1707523200123456);  // 2024-02-10 00:00:00.123456 UTC
  EXPECT_EQ(FormatSqlTime(t), "2024-02-10 00:00:00.123456");
}

}  // namespace
}  // namespace ntm::db
