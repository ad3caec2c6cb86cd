// The ntm-registrations binary as an operator runs it: flags (a bad one refused before anything
// starts), migrations, the assessment and plans services it is pointed at, a clock started in the
// past for a demonstration, health checking, UNAVAILABLE (not a hang) when the plans service goes
// away, and a clean drain on SIGTERM.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "ntm/plans/v1/directive.grpc.pb.h"
#include "ntm/registrations/v1/registration.grpc.pb.h"
#include "services/assessment/tests/process/process_helpers.h"
#include "services/assessment/tests/test_env.h"
#include "services/plans/tests/plans_env.h"

namespace ntm::registrations {
namespace {

using ntm::testing::FreePort;
using ntm::testing::HealthStatus;
using ntm::testing::ReadFile;
using ntm::testing::Spawn;
using ntm::testing::WaitExit;
using ::testing::HasSubstr;
namespace pv1 = ::ntm::plans::v1;
namespace rv1 = ::ntm::registrations::v1;

std::vector<std::string> DbFlags(const db::DbOptions& db) {
  return {absl::StrCat("--db_host=", db.host), absl::StrCat("--db_port=", db.port),
          absl::StrCat("--db_user=", db.user), absl::StrCat("--db_password=", db.password),
          absl::StrCat("--db_name=", db.schema)};
}

void DropSchemaOf(db::DbOptions db) {
  db.create_schema = false;
  auto pool = db::ConnectionPool::Create(db);
  ASSERT_TRUE(pool.ok()) << pool.status();
  assessment::testing::DropSchema(**pool);
}

TEST(RegistrationsProcessTest, RefusesBadFlagsBeforeStarting) {
  ASSERT_NE(std::getenv("NTM_TEST_DB_PORT"), nullptr) << "run through tests/run";
  const db::DbOptions db = assessment::testing::TestDbOptions();
  struct Case {
    std::string flag;
    std::string message;
  };
  for (const Case& c :
       {Case{"--clock_start=12/02/2024", "--clock_start: '12/02/2024' is not an RFC 3339 time"},
        Case{"--backend_timeout_seconds=0",
             "--backend_timeout_seconds: 0 is not more than 0 and at most 60 seconds"}}) {
    std::vector<std::string> args = {NTM_REGISTRATIONS_BINARY, "--listen=127.0.0.1:0", c.flag};
    for (const std::string& f : DbFlags(db)) args.push_back(f);
    const std::string log = ::testing::TempDir() + "/registrations_bad_flag.log";
    EXPECT_EQ(WaitExit(Spawn(args, log), std::chrono::seconds(20)), 1) << c.flag;
    EXPECT_THAT(ReadFile(log), HasSubstr(c.message));
  }
  // Refused before touching the database: not even the schema was created.
  db::DbOptions existing = db;
  existing.create_schema = false;
  EXPECT_FALSE(db::ConnectionPool::Create(existing).ok());
}

TEST(RegistrationsProcessTest, ServesWithItsClockInThePastAnswersUnavailableThenDrains) {
  ASSERT_NE(std::getenv("NTM_TEST_DB_PORT"), nullptr) << "run through tests/run";
  auto assessment = assessment::testing::ServiceEnv::Start();
  ASSERT_NE(assessment, nullptr);
  const std::string assessment_target = absl::StrCat("127.0.0.1:", assessment->port());
  auto plans = plans::testing::PlansEnv::Start(assessment_target, &assessment->clock());
  ASSERT_NE(plans, nullptr);

  // The seed's directive: a registration from every Tam Đường commune by 10/02/2024 23:59:59.
  pv1::CreateDirectiveRequest directive;
  directive.set_parent("units/106");
  directive.set_directive_id("tam-duong-2024");
  directive.mutable_directive()->set_document_number("01/UBND-NN&PTNT");
  directive.mutable_directive()->set_issue_date("2024-01-15");
  directive.mutable_directive()->set_year(2024);
  directive.mutable_directive()->mutable_deadline()->set_seconds(1707584399);
  directive.mutable_directive()->add_deliverables(pv1::DELIVERABLE_REGISTRATION);
  pv1::CreateDirectiveResponse issued;
  auto ctx = assessment::testing::ServiceEnv::Context("tam-duong-nnptnt");
  ASSERT_TRUE(plans->directives().CreateDirective(ctx.get(), directive, &issued).ok());

  const db::DbOptions db = assessment::testing::TestDbOptions();
  const int port = FreePort();
  std::vector<std::string> args = {NTM_REGISTRATIONS_BINARY,
                                   absl::StrCat("--listen=127.0.0.1:", port),
                                   "--metrics_listen=",
                                   absl::StrCat("--assessment_backend=", assessment_target),
                                   absl::StrCat("--plans_backend=127.0.0.1:", plans->port()),
                                   "--backend_timeout_seconds=2",
                                   "--clock_start=2024-02-12T08:00:00+07:00",
                                   "--drain_seconds=3"};
  for (const std::string& f : DbFlags(db)) args.push_back(f);
  const std::string log = ::testing::TempDir() + "/registrations_serve.log";
  const pid_t pid = Spawn(args, log);
  auto channel =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  ASSERT_TRUE(
      channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(20)))
      << ReadFile(log);
  EXPECT_EQ(HealthStatus(channel, "ntm.registrations.v1.RegistrationService"), 1);
  auto stub = rv1::RegistrationService::NewStub(channel);

  // Bản Bo starts its registration: the villages come from the assessment service's directory,
  // the time from the service's clock (12/02/2024).
  rv1::CreateRegistrationRequest create;
  create.set_parent("units/03424");
  create.set_directive(issued.directive().name());
  rv1::CreateRegistrationResponse created;
  ctx = assessment::testing::ServiceEnv::Context("can-bo-ban-bo");
  grpc::Status status = stub->CreateRegistration(ctx.get(), create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << ReadFile(log);
  EXPECT_GT(created.registration().villages_size(), 0);
  EXPECT_EQ(created.registration().create_time().seconds() / 86400, 1707699600 / 86400);

  rv1::GetRegistrationStatusRequest status_req;
  status_req.set_directive(issued.directive().name());
  rv1::GetRegistrationStatusResponse standing;
  ctx = assessment::testing::ServiceEnv::Context("tam-duong-nnptnt");
  status = stub->GetRegistrationStatus(ctx.get(), status_req, &standing);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(standing.units_size(), 13);
  EXPECT_EQ(standing.overdue(), 13);
  EXPECT_EQ(standing.not_started(), 12);

  // The plans service goes away: the status view cannot know the deadlines and says so within
  // the backend deadline instead of hanging.
  plans.reset();
  ctx = assessment::testing::ServiceEnv::Context("tam-duong-nnptnt");
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(15));
  const absl::Time before = absl::Now();
  status = stub->GetRegistrationStatus(ctx.get(), status_req, &standing);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_LT(absl::Now() - before, absl::Seconds(5));

  kill(pid, SIGTERM);
  EXPECT_EQ(WaitExit(pid, std::chrono::seconds(15)), 0);
  const std::string text = ReadFile(log);
  EXPECT_THAT(text, HasSubstr("the clock starts at a chosen instant"));
  EXPECT_THAT(text, HasSubstr("\"msg\":\"registration created\""));
  EXPECT_THAT(text, HasSubstr("\"msg\":\"stopped\""));
  DropSchemaOf(db);
}

}  // namespace
}  // namespace ntm::registrations
