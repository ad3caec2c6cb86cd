// The ntm-assessment binary as an operator runs it: flags, migrations, health checking, metrics,
// and a clean drain on SIGTERM.
#include <arpa/inet.h>
#include <cppconn/statement.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ntm/assessment/v1/catalog.grpc.pb.h"
#include "services/assessment/tests/process/process_helpers.h"
#include "services/assessment/tests/test_env.h"

namespace ntm::assessment::testing {
namespace {

using ntm::testing::FreePort;
using ntm::testing::HealthStatus;
using ntm::testing::HttpGet;
using ntm::testing::ReadFile;
using ntm::testing::Spawn;
using ntm::testing::WaitExit;

TEST(ProcessTest, RejectsUnknownFlagsWithExitCodeTwo) {
  const std::string log = ::testing::TempDir() + "/unknown_flag.log";
  pid_t pid = Spawn({NTM_ASSESSMENT_BINARY, "--listne=127.0.0.1:1"}, log);
  EXPECT_EQ(WaitExit(pid, std::chrono::seconds(10)), 2);
  EXPECT_NE(ReadFile(log).find("unknown flag --listne"), std::string::npos) << ReadFile(log);
}

TEST(ProcessTest, ServesHealthAndMetricsThenDrainsOnSigterm) {
  ASSERT_NE(std::getenv("NTM_TEST_DB_PORT"), nullptr) << "run through tests/run";
  db::DbOptions db = TestDbOptions();
  const int port = FreePort();
  const int metrics_port = FreePort();
  const std::string log = ::testing::TempDir() + "/serve.log";
  const std::string data = absl::StrCat(NTM_SOURCE_DIR, "/data/units/lai-chau.json,",
                                        NTM_SOURCE_DIR, "/data/catalog/lai-chau-2022.json");
  pid_t pid = Spawn(
      {NTM_ASSESSMENT_BINARY, absl::StrCat("--listen=127.0.0.1:", port),
       absl::StrCat("--metrics_listen=127.0.0.1:", metrics_port),
       absl::StrCat("--db_host=", db.host), absl::StrCat("--db_port=", db.port),
       absl::StrCat("--db_user=", db.user), absl::StrCat("--db_password=", db.password),
       absl::StrCat("--db_name=", db.schema), absl::StrCat("--load=", data), "--drain_seconds=3"},
      log);
  auto channel =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  ASSERT_TRUE(
      channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(20)))
      << ReadFile(log);
  EXPECT_EQ(HealthStatus(channel, ""), 1);
  EXPECT_EQ(HealthStatus(channel, "ntm.assessment.v1.AssessmentService"), 1);

  auto stub = v1::CatalogService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::GetCriteriaSetRequest req;
  req.set_name("criteriaSets/lai-chau-2022");
  v1::GetCriteriaSetResponse resp;
  ASSERT_TRUE(stub->GetCriteriaSet(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.criteria_set().indicator_count(), 57);

  const std::string metrics = HttpGet(metrics_port, "/metrics");
  EXPECT_NE(metrics.find("HTTP/1.1 200"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("ntm_grpc_requests_total{service=\"assessment\",method=\"GetCriteriaSet\","
                         "code=\"OK\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("ntm_grpc_request_duration_seconds_bucket"), std::string::npos);

  kill(pid, SIGTERM);
  EXPECT_EQ(WaitExit(pid, std::chrono::seconds(15)), 0);
  const std::string text = ReadFile(log);
  EXPECT_NE(text.find("\"msg\":\"draining\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"msg\":\"stopped\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"msg\":\"applying migration\""), std::string::npos) << text;

  // The binary created its own schema; remove it.
  db.create_schema = false;
  auto pool = db::ConnectionPool::Create(db);
  ASSERT_TRUE(pool.ok()) << pool.status();
  ASSERT_TRUE((*pool)
                  ->WithConnection([&](sql::Connection& conn) -> absl::Status {
                    std::unique_ptr<sql::Statement> st(conn.createStatement());
                    st->execute(absl::StrCat("DROP DATABASE `", db.schema, "`"));
                    return absl::OkStatus();
                  })
                  .ok());
}

}  // namespace
}  // namespace ntm::assessment::testing
