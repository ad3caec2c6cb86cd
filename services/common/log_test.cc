#include "services/common/log.h"

#include <gtest/gtest.h>

namespace ntm::log {
namespace {

TEST(LogTest, EscapesJsonButKeepsVietnamese) {
  std::string out;
  AppendJsonEscaped(out, "Xã \"Bản Bo\"\n\\ Đạt");
  EXPECT_EQ(out, "Xã \\\"Bản Bo\\\"\\n\\\\ Đạt");
}

TEST(LogTest, EscapesControlCharacters) {
  std::string out;
  AppendJsonEscaped(out, std::string("a\x01z", 3));
  EXPECT_EQ(out, "a\\u0001z");
}

TEST(LogTest, ParsesLevels) {
  EXPECT_EQ(*ParseLevel("warn"), Level::kWarn);
  EXPECT_FALSE(ParseLevel("loud").ok());
}

}  // namespace
}  // namespace ntm::log
