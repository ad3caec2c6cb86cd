#include "services/common/db/migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ntm::db {
namespace {

using ::testing::ElementsAre;

TEST(SplitStatementsTest, SplitsOnSemicolonAtEndOfLineAndDropsComments) {
  auto parts = SplitStatements(
      "-- a comment; with a semicolon\n"
      "CREATE TABLE a (\n  x INT -- inline; kept\n);\n\n"
      "INSERT INTO a VALUES (1);\n"
      "SELECT 1");
  EXPECT_THAT(parts, ElementsAre("CREATE TABLE a (\n  x INT -- inline; kept\n)",
                                 "INSERT INTO a VALUES (1)", "SELECT 1"));
}

}  // namespace
}  // namespace ntm::db
