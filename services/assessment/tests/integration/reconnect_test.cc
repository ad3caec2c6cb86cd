// The service keeps working when the database drops its connections (a restart, a failover, an
// idle timeout): the pool notices the lost connection and the call is retried on a new one.
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/assessment/tests/test_env.h"

namespace ntm::assessment::testing {
namespace {

// Kills, from a connection of its own, every connection the service holds to its schema.
int KillServiceConnections(ServiceEnv& env) {
  int killed = 0;
  db::DbOptions options = env.pool().options();
  options.create_schema = false;
  options.pool_size = 1;
  auto killer = db::ConnectionPool::Create(options);
  EXPECT_TRUE(killer.ok()) << killer.status();
  if (!killer.ok()) {
    return 0;
  }
  absl::Status s = (*killer)->WithConnection([&](sql::Connection& conn) -> absl::Status {
    std::unique_ptr<sql::Statement> st(conn.createStatement());
    std::vector<int64_t> ids;
    {
      std::unique_ptr<sql::ResultSet> rs(st->executeQuery(
          "SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND "
          "id <> CONNECTION_ID()"));
      while (rs->next()) {
        ids.push_back(rs->getInt64(1));
      }
    }
    for (int64_t id : ids) {
      st->execute(absl::StrCat("KILL CONNECTION ", id));
      ++killed;
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return killed;
}

TEST(ReconnectTest, CallsSucceedAfterTheServerKilledThePooledConnections) {
  auto env = ServiceEnv::Start();
  ASSERT_NE(env, nullptr);
  v1::GetCommuneStatusRequest req;
  req.set_unit("units/03424");
  v1::CreateAssessmentRequest create;
  create.set_parent("units/03424");
  create.set_as_of_date("2023-12-31");
  v1::CreateAssessmentResponse created;
  ASSERT_TRUE(env->assessments()
                  .CreateAssessment(ServiceEnv::Context("can-bo").get(), create, &created)
                  .ok());

  // Warm the pool with several connections, then have the server kill them all.
  for (int i = 0; i < 4; ++i) {
    v1::GetCommuneStatusResponse resp;
    ASSERT_TRUE(
        env->assessments().GetCommuneStatus(ServiceEnv::Context("x").get(), req, &resp).ok());
  }
  ASSERT_GT(KillServiceConnections(*env), 0);

  // Reads and a write still succeed, each on a fresh connection.
  for (int i = 0; i < 4; ++i) {
    v1::GetCommuneStatusResponse resp;
    grpc::Status s =
        env->assessments().GetCommuneStatus(ServiceEnv::Context("x").get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }
  ASSERT_GT(KillServiceConnections(*env), 0);
  v1::SetIndicatorValuesRequest set;
  set.set_name(created.assessment().name());
  set.set_etag(created.assessment().etag());
  auto* v = set.add_values();
  v->set_indicator_code("1.1");
  v->set_boolean_value(true);
  v1::SetIndicatorValuesResponse out;
  grpc::Status s =
      env->assessments().SetIndicatorValues(ServiceEnv::Context("can-bo").get(), set, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(env->QueryInt("SELECT COUNT(*) FROM assessment_values"), 1);
}

}  // namespace
}  // namespace ntm::assessment::testing
