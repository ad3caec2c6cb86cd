#include "services/common/flags.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace ntm {
namespace {

TEST(FlagsTest, FlagsOverrideEnvironment) {
  std::string host = "127.0.0.1";
  int port = 1;
  bool dry = false;
  Flags flags("prog", "test");
  flags.AddString("db_host", &host, "");
  flags.AddInt("test_flag_port", &port, "");
  flags.AddBool("dry", &dry, "");
  setenv("NTM_TEST_FLAG_PORT", "5", 1);
  const char* argv[] = {"prog", "--db_host=db.local", "--dry"};
  ASSERT_TRUE(flags.Parse(3, argv).ok());
  EXPECT_EQ(host, "db.local");
  EXPECT_EQ(port, 5);
  EXPECT_TRUE(dry);
  const char* argv2[] = {"prog", "--test_flag_port", "7"};
  ASSERT_TRUE(flags.Parse(3, argv2).ok());
  EXPECT_EQ(port, 7);
  unsetenv("NTM_TEST_FLAG_PORT");
}

TEST(FlagsTest, RejectsUnknownFlagsAndBadValues) {
  int port = 1;
  Flags flags("prog", "test");
  flags.AddInt("port", &port, "");
  const char* unknown[] = {"prog", "--prot=5"};
  absl::Status s = flags.Parse(2, unknown);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("--prot"), std::string::npos);
  const char* bad[] = {"prog", "--port=five"};
  s = flags.Parse(2, bad);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("port"), std::string::npos);
  EXPECT_EQ(port, 1);
}

TEST(FlagsTest, EnvName) { EXPECT_EQ(Flags::EnvName("db_port"), "NTM_DB_PORT"); }

}  // namespace
}  // namespace ntm
