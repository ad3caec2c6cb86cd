// The ntm-plans binary as an operator runs it: flags (a bad one refused before anything starts),
// migrations, the assessment service it is pointed at, a clock started in the past for a
// demonstration, health checking, and a clean drain on SIGTERM.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "ntm/plans/v1/directive.grpc.pb.h"
#include "ntm/plans/v1/plan.grpc.pb.h"
#include "services/assessment/tests/process/process_helpers.h"
#include "services/assessment/tests/test_env.h"

namespace ntm::plans {
namespace {

using ntm::testing::FreePort;
using ntm::testing::HealthStatus;
using ntm::testing::ReadFile;
using ntm::testing::Spawn;
using ntm::testing::WaitExit;
using ::testing::HasSubstr;
namespace pv1 = ::ntm::plans::v1;

std::vector<std::string> DbFlags(const db::DbOptions& db) {
  return {absl::StrCat("--db_host=", db.host), absl::StrCat("--db_port=", db.port),
          absl::StrCat("--db_user=", db.user), absl::StrCat("--db_password=", db.password),
          absl::StrCat("--db_name=", db.schema)};
}

TEST(PlansProcessTest, RefusesAClockStartThatIsNotATime) {
  ASSERT_NE(std::getenv("NTM_TEST_DB_PORT"), nullptr) << "run through tests/run";
  const db::DbOptions db = assessment::testing::TestDbOptions();
  std::vector<std::string> args = {NTM_PLANS_BINARY, "--listen=127.0.0.1:0",
                                   "--clock_start=12/02/2024"};
  for (const std::string& f : DbFlags(db)) args.push_back(f);
  const std::string log = ::testing::TempDir() + "/plans_bad_clock.log";
  EXPECT_EQ(WaitExit(Spawn(args, log), std::chrono::seconds(20)), 1);
  EXPECT_THAT(ReadFile(log), HasSubstr("--clock_start: '12/02/2024' is not an RFC 3339 time"));
  auto pool = db::ConnectionPool::Create(db);
  ASSERT_TRUE(pool.ok()) << pool.status();
  assessment::testing::DropSchema(**pool);
}

TEST(PlansProcessTest, ServesWithItsClockStartedInThePastThenDrainsOnSigterm) {
  ASSERT_NE(std::getenv("NTM_TEST_DB_PORT"), nullptr) << "run through tests/run";
  auto assessment = assessment::testing::ServiceEnv::Start();
  ASSERT_NE(assessment, nullptr);
  const db::DbOptions db = assessment::testing::TestDbOptions();
  const int port = FreePort();
  std::vector<std::string> args = {
      NTM_PLANS_BINARY,
      absl::StrCat("--listen=127.0.0.1:", port),
      "--metrics_listen=",
      absl::StrCat("--assessment_backend=127.0.0.1:", assessment->port()),
      "--clock_start=2024-02-12T08:00:00+07:00",
      "--drain_seconds=3"};
  for (const std::string& f : DbFlags(db)) args.push_back(f);
  const std::string log = ::testing::TempDir() + "/plans_serve.log";
  const pid_t pid = Spawn(args, log);
  auto channel =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  ASSERT_TRUE(
      channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(20)))
      << ReadFile(log);
  EXPECT_EQ(HealthStatus(channel, "ntm.plans.v1.PlanService"), 1);

  // The seed's directive, to every commune of Tam Đường (the directory answers from the
  // assessment service); by the service's clock (12/02/2024) the deadline has passed.
  auto directives = pv1::DirectiveService::NewStub(channel);
  pv1::CreateDirectiveRequest req;
  req.set_parent("units/106");
  req.set_directive_id("tam-duong-2024");
  req.mutable_directive()->set_document_number("01/UBND-NN&PTNT");
  req.mutable_directive()->set_issue_date("2024-01-15");
  req.mutable_directive()->set_year(2024);
  req.mutable_directive()->mutable_deadline()->set_seconds(1707584399);  // 10/02/2024 23:59:59
  req.mutable_directive()->add_deliverables(pv1::DELIVERABLE_PLAN);
  pv1::CreateDirectiveResponse created;
  auto ctx = assessment::testing::ServiceEnv::Context("tam-duong-nnptnt");
  ASSERT_TRUE(directives->CreateDirective(ctx.get(), req, &created).ok()) << ReadFile(log);
  EXPECT_EQ(created.directive().addressed_units_size(), 13);
  EXPECT_EQ(created.directive().create_time().seconds() / 86400, 1707699600 / 86400);

  auto plans = pv1::PlanService::NewStub(channel);
  pv1::GetSubmissionStatusRequest status_req;
  status_req.set_directive(created.directive().name());
  pv1::GetSubmissionStatusResponse status;
  ctx = assessment::testing::ServiceEnv::Context("tam-duong-nnptnt");
  ASSERT_TRUE(plans->GetSubmissionStatus(ctx.get(), status_req, &status).ok());
  EXPECT_EQ(status.overdue(), 13);

  kill(pid, SIGTERM);
  EXPECT_EQ(WaitExit(pid, std::chrono::seconds(15)), 0);
  const std::string text = ReadFile(log);
  EXPECT_THAT(text, HasSubstr("the clock starts at a chosen instant"));
  EXPECT_THAT(text, HasSubstr("\"msg\":\"directive issued\""));
  EXPECT_THAT(text, HasSubstr("\"msg\":\"stopped\""));

  db::DbOptions existing = db;
  existing.create_schema = false;
  auto pool = db::ConnectionPool::Create(existing);
  ASSERT_TRUE(pool.ok()) << pool.status();
  assessment::testing::DropSchema(**pool);
}

}  // namespace
}  // namespace ntm::plans
