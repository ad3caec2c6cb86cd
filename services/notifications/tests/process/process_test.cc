// The ntm-notifications binary as an operator runs it: bad settings refused before anything
// starts, and `kill -9` in the middle of delivery, many times over: every message still reaches
// the webhook receiver, repeats only as at-least-once allows and recognisable by their id.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "ntm/notifications/v1/notification.grpc.pb.h"
#include "services/assessment/tests/process/process_helpers.h"
#include "services/assessment/tests/test_env.h"
#include "services/notifications/tests/sinks.h"

namespace ntm::notifications {
namespace {

using ntm::testing::FreePort;
using ntm::testing::ReadFile;
using ntm::testing::Spawn;
using ntm::testing::WaitExit;
using ::testing::HasSubstr;
namespace nv1 = ::ntm::notifications::v1;

std::vector<std::string> DbFlags(const db::DbOptions& db) {
  return {absl::StrCat("--db_host=", db.host), absl::StrCat("--db_port=", db.port),
          absl::StrCat("--db_user=", db.user), absl::StrCat("--db_password=", db.password),
          absl::StrCat("--db_name=", db.schema)};
}

TEST(NotificationsProcessTest, RefusesBadSettingsBeforeStarting) {
  ASSERT_NE(std::getenv("NTM_TEST_DB_PORT"), nullptr) << "run through tests/run";
  const db::DbOptions db = assessment::testing::TestDbOptions();
  struct Case {
    std::string flag;
    std::string message;
  };
  for (const Case& c : {Case{"--holidays_file=/nonexistent/holidays.json",
                             "--holidays_file: cannot read /nonexistent/holidays.json"},
                        Case{"--reminder_days_before=7,x", "'x' is not a whole number of days"},
                        Case{"--reminder_hour=25", "reminder hour: must be 0–23"},
                        Case{"--retry_max_seconds=1", "--retry_max_seconds: 1 is not between 30"},
                        Case{"--clock_start=03/02/2024", "is not an RFC 3339 time"}}) {
    std::vector<std::string> args = {NTM_NOTIFICATIONS_BINARY, "--listen=127.0.0.1:0", c.flag};
    for (const std::string& f : DbFlags(db)) args.push_back(f);
    const std::string log = ::testing::TempDir() + "/notifications_bad_flag.log";
    EXPECT_EQ(WaitExit(Spawn(args, log), std::chrono::seconds(20)), 1) << c.flag;
    EXPECT_THAT(ReadFile(log), HasSubstr(c.message)) << c.flag;
  }
  db::DbOptions existing = db;
  existing.create_schema = false;
  EXPECT_FALSE(db::ConnectionPool::Create(existing).ok()) << "nothing was created";
}

TEST(NotificationsProcessTest, KillNineDuringDeliveryLosesNoMessage) {
  ASSERT_NE(std::getenv("NTM_TEST_DB_PORT"), nullptr) << "run through tests/run";
  auto assessment = assessment::testing::ServiceEnv::Start();
  ASSERT_NE(assessment, nullptr);
  testing::WebhookSink sink;
  sink.SetDelay(absl::Milliseconds(250));  // slow enough that kills land mid-delivery
  const db::DbOptions db = assessment::testing::TestDbOptions();
  const std::string log = ::testing::TempDir() + "/notifications_kill.log";
  int port = 0;
  const auto start = [&] {
    port = FreePort();
    // The SMTP URL carries a login (no e-mail is sent here): the log must not show it.
    std::vector<std::string> args = {
        NTM_NOTIFICATIONS_BINARY,
        absl::StrCat("--listen=127.0.0.1:", port),
        "--metrics_listen=",
        absl::StrCat("--assessment_backend=127.0.0.1:", assessment->port()),
        absl::StrCat("--plans_backend=127.0.0.1:", ntm::testing::FreePort()),
        absl::StrCat("--registrations_backend=127.0.0.1:", ntm::testing::FreePort()),
        "--reminder_interval_seconds=3600",
        "--delivery_threads=2",
        "--delivery_batch=3",
        "--delivery_lease_seconds=1",
        "--delivery_poll_seconds=0.05",
        "--retry_base_seconds=0.1",
        "--retry_max_seconds=1",
        "--delivery_max_attempts=50",
        "--smtp_url=smtps://ntm-mail:Mat-khau-9x@127.0.0.1:1",
        "--drain_seconds=1"};
    for (const std::string& f : DbFlags(db)) args.push_back(f);
    return Spawn(args, log);
  };
  pid_t pid = start();
  auto connect = [&] {
    auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
    EXPECT_TRUE(
        channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(20)))
        << ReadFile(log);
    return nv1::NotificationService::NewStub(channel);
  };
  auto stub = connect();

  nv1::CreateSubscriptionRequest sub;
  sub.set_parent("units/03424");
  sub.mutable_subscription()->set_channel(nv1::CHANNEL_WEBHOOK);
  sub.mutable_subscription()->set_address(sink.Url("/ntm"));
  nv1::CreateSubscriptionResponse subscribed;
  ASSERT_TRUE(
      stub->CreateSubscription(assessment::testing::ServiceEnv::Context("can-bo-ban-bo").get(), sub,
                               &subscribed)
          .ok());
  constexpr int kMessages = 60;
  for (int i = 0; i < kMessages; ++i) {
    nv1::SendUrgeRequest urge;
    urge.set_parent("units/106");
    urge.add_units("units/03424");
    urge.add_indicator_codes("17.6");
    urge.set_message(absl::StrCat("Nhắc thu gom rác thải, lần ", i + 1));
    urge.set_request_id(absl::StrCat("kill-", i));
    nv1::SendUrgeResponse urged;
    auto ctx = assessment::testing::ServiceEnv::Context("tam-duong-tnmt");
    ctx->AddMetadata("x-ntm-agency", "agencies/tam-duong-tnmt");
    ASSERT_TRUE(stub->SendUrge(ctx.get(), urge, &urged).ok());
  }

  // Kill the process while it sends, again and again, restarting it each time.
  db::DbOptions existing = db;
  existing.create_schema = false;
  auto pool = db::ConnectionPool::Create(existing);
  ASSERT_TRUE(pool.ok()) << pool.status();
  const auto sent = [&] {
    return assessment::testing::QueryIntOn(**pool,
                                           "SELECT COUNT(*) FROM messages WHERE state = 'sent'");
  };
  int kills = 0;
  const absl::Time deadline = absl::Now() + absl::Seconds(120);
  while (sent() < kMessages && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(200));
    if (kills < 10 && sent() < kMessages) {
      kill(pid, SIGKILL);
      WaitExit(pid, std::chrono::seconds(10));
      ++kills;
      pid = start();
      stub = connect();
    }
  }
  EXPECT_EQ(sent(), kMessages) << ReadFile(log);
  EXPECT_GE(kills, 5);
  EXPECT_EQ(assessment::testing::QueryIntOn(**pool,
                                            "SELECT COUNT(*) FROM messages WHERE state <> 'sent'"),
            0);
  // Every message reached the receiver; a repeat carries the same webhook-id.
  std::map<std::string, int> by_id;
  for (const testing::ReceivedHook& h : sink.received()) {
    if (h.answered == 200) {
      ++by_id[h.headers.at("webhook-id")];
    }
  }
  EXPECT_EQ(static_cast<int>(by_id.size()), kMessages);
  int repeats = 0;
  for (const auto& [id, n] : by_id) {
    repeats += n - 1;
  }
  RecordProperty("kills", kills);
  RecordProperty("repeats", repeats);
  std::printf("kill -9: %d times; %d messages delivered, %d repeated (same webhook-id)\n", kills,
              kMessages, repeats);

  kill(pid, SIGTERM);
  EXPECT_EQ(WaitExit(pid, std::chrono::seconds(15)), 0);
  const std::string logged = ReadFile(log);
  EXPECT_THAT(logged, HasSubstr("smtps://***@127.0.0.1:1"));
  EXPECT_THAT(logged, ::testing::Not(HasSubstr("Mat-khau-9x")));
  assessment::testing::DropSchema(**pool);
}

}  // namespace
}  // namespace ntm::notifications
