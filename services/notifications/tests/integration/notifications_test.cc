// The notifications service with everything it talks to running for real: the assessment, plans
// and registrations services over gRPC, their outbox relays, MariaDB, a real SMTP server
// (aiosmtpd) and a real HTTP sink. Time is the test's clock: the reminder schedule is walked
// across the seed's deadline (10/02/2024, in Tết) by moving it, never by sleeping.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "ntm/assessment/v1/assessment.grpc.pb.h"
#include "ntm/plans/v1/directive.grpc.pb.h"
#include "ntm/plans/v1/plan.grpc.pb.h"
#include "services/assessment/tests/integration/integration_helpers.h"
#include "services/assessment/tests/test_env.h"
#include "services/common/db/sql.h"
#include "services/notifications/domain/delivery_rules.h"
#include "services/notifications/relay/outbox_relay.h"
#include "services/notifications/tests/notifications_env.h"
#include "services/notifications/tests/sinks.h"
#include "services/plans/tests/plans_env.h"
#include "services/registrations/tests/registrations_env.h"

namespace ntm::notifications {
namespace {

using assessment::testing::GrpcOk;
using assessment::testing::ServiceEnv;
using ::testing::AllOf;
using ::testing::HasSubstr;
namespace av1 = ::ntm::assessment::v1;
namespace nv1 = ::ntm::notifications::v1;
namespace pv1 = ::ntm::plans::v1;

constexpr char kDirective[] = "units/106/directives/tam-duong-2024";
constexpr char kOffice[] = "tam-duong-nnptnt";

absl::Time Local(int y, int m, int d, int hh = 8, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), VietnamTimeZone());
}

class NotificationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    assessment_ = ServiceEnv::Start();
    ASSERT_NE(assessment_, nullptr);
    clock().Set(Local(2024, 1, 15, 9));
    const std::string a = absl::StrCat("127.0.0.1:", assessment_->port());
    plans_ = plans::testing::PlansEnv::Start(a, &clock());
    ASSERT_NE(plans_, nullptr);
    const std::string p = absl::StrCat("127.0.0.1:", plans_->port());
    registrations_ = registrations::testing::RegistrationsEnv::Start(a, p, &clock());
    ASSERT_NE(registrations_, nullptr);
    options_.assessment_target = a;
    options_.plans_target = p;
    options_.registrations_target = absl::StrCat("127.0.0.1:", registrations_->port());
    options_.delivery.retry_base = absl::Seconds(10);
    options_.delivery.retry_max = absl::Minutes(10);
    options_.delivery.max_attempts = 3;
    options_.delivery.worker_id = "worker-a";
  }

  void StartNotifications() {
    notifications_ = testing::NotificationsEnv::Start(options_, &clock());
    ASSERT_NE(notifications_, nullptr);
    RelayOptions relay;
    relay.source = "plans";
    relay.target = absl::StrCat("127.0.0.1:", notifications_->port());
    plans_relay_ =
        std::make_unique<OutboxRelay>(&plans_->pool(), notifications_->channel(), &clock(), relay);
    relay.source = "registrations";
    registrations_relay_ = std::make_unique<OutboxRelay>(
        &registrations_->pool(), notifications_->channel(), &clock(), relay);
  }

  ManualClock& clock() { return assessment_->clock(); }

  void Relay() {
    absl::StatusOr<int> p = plans_relay_->RelayOnce();
    ASSERT_TRUE(p.ok()) << p.status();
    absl::StatusOr<int> r = registrations_relay_->RelayOnce();
    ASSERT_TRUE(r.ok()) << r.status();
  }

  void IssueDirective() {
    pv1::CreateDirectiveRequest req;
    req.set_parent("units/106");
    req.set_directive_id("tam-duong-2024");
    pv1::Directive* d = req.mutable_directive();
    d->set_document_number("01/UBND-NN&PTNT");
    d->set_issue_date("2024-01-15");
    d->set_year(2024);
    d->set_title("V/v xây dựng Kế hoạch NTM năm 2024");
    d->mutable_deadline()->set_seconds(
        absl::ToUnixSeconds(Local(2024, 2, 10, 23, 59) + absl::Seconds(59)));
    d->add_deliverables(pv1::DELIVERABLE_PLAN);
    d->add_deliverables(pv1::DELIVERABLE_REGISTRATION);
    pv1::CreateDirectiveResponse resp;
    ASSERT_THAT(
        plans_->directives().CreateDirective(ServiceEnv::Context(kOffice).get(), req, &resp),
        GrpcOk());
  }

  // Bản Bo assesses itself, then writes and sends its plan.
  void BanBoSendsItsPlan() {
    const std::string officer = "can-bo-ban-bo";
    av1::CreateAssessmentRequest create;
    create.set_parent("units/03424");
    create.set_as_of_date("2023-12-31");
    av1::CreateAssessmentResponse created;
    ASSERT_THAT(assessment_->assessments().CreateAssessment(ServiceEnv::Context(officer).get(),
                                                            create, &created),
                GrpcOk());
    av1::SubmitAssessmentRequest submit;
    submit.set_name(created.assessment().name());
    submit.set_etag(created.assessment().etag());
    av1::SubmitAssessmentResponse submitted;
    ASSERT_THAT(assessment_->assessments().SubmitAssessment(ServiceEnv::Context(officer).get(),
                                                            submit, &submitted),
                GrpcOk());
    pv1::CreatePlanRequest plan;
    plan.set_parent("units/03424");
    plan.set_directive(kDirective);
    pv1::CreatePlanResponse made;
    ASSERT_THAT(plans_->plans().CreatePlan(ServiceEnv::Context(officer).get(), plan, &made),
                GrpcOk());
    pv1::SubmitPlanRequest send;
    send.set_name(made.plan().name());
    pv1::SubmitPlanResponse sent;
    ASSERT_THAT(plans_->plans().SubmitPlan(ServiceEnv::Context(officer).get(), send, &sent),
                GrpcOk());
  }

  std::vector<nv1::Notification> Inbox(const std::string& inbox) {
    nv1::ListNotificationsRequest req;
    req.set_parent(inbox);
    req.set_page_size(200);
    nv1::ListNotificationsResponse resp;
    EXPECT_THAT(notifications_->notifications().ListNotifications(ServiceEnv::Context("x").get(),
                                                                  req, &resp),
                GrpcOk());
    return {resp.notifications().begin(), resp.notifications().end()};
  }

  int Count(const std::string& sql) { return static_cast<int>(notifications_->QueryInt(sql)); }

  std::unique_ptr<ServiceEnv> assessment_;
  std::unique_ptr<plans::testing::PlansEnv> plans_;
  std::unique_ptr<registrations::testing::RegistrationsEnv> registrations_;
  testing::NotificationsEnvOptions options_;
  std::unique_ptr<testing::NotificationsEnv> notifications_;
  std::unique_ptr<OutboxRelay> plans_relay_;
  std::unique_ptr<OutboxRelay> registrations_relay_;
};

TEST_F(NotificationsTest, EventsAreAcceptedOnceAndRemindersFollowTheDeadlineAndTet) {
  ASSERT_NO_FATAL_FAILURE(StartNotifications());
  ASSERT_NO_FATAL_FAILURE(IssueDirective());
  ASSERT_NO_FATAL_FAILURE(Relay());
  // Every commune of Tam Đường hears of the directive, once.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE kind = 'directive_issued'"), 13);
  std::vector<nv1::Notification> ban_bo = Inbox("units/03424");
  ASSERT_EQ(ban_bo.size(), 1u);
  EXPECT_EQ(ban_bo[0].kind(), nv1::NOTIFICATION_KIND_DIRECTIVE_ISSUED);
  EXPECT_THAT(ban_bo[0].title(), HasSubstr("Văn bản chỉ đạo mới: gửi kế hoạch xây dựng nông thôn "
                                           "mới và đăng ký mô hình điểm"));
  EXPECT_EQ(ban_bo[0].deadline_local(), "2024-02-10T23:59:59+07:00");

  // The relay sends everything again (a crash before it marked the rows): nothing new.
  const int events = Count("SELECT COUNT(*) FROM events");
  ASSERT_TRUE(plans_->pool()
                  .InTransaction([](sql::Connection& c) -> absl::Status {
                    db::Query(c, "UPDATE outbox SET published_at = NULL").Exec();
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_NO_FATAL_FAILURE(Relay());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events"), events);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications"), 13);

  // Before the first slot (Friday 02/02 08:00, as 7 days before is a Saturday): nothing.
  clock().Set(Local(2024, 2, 1, 12));
  absl::StatusOr<ReminderRun> run = notifications_->app().RunReminders();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->added, 0);
  clock().Set(Local(2024, 2, 2, 8));
  run = notifications_->app().RunReminders();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->added, 26);  // 13 communes × plan and registration
  EXPECT_EQ(notifications_->app().RunReminders()->added, 0) << "the same slot twice";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE dedupe_key = "
                  "'reminder/03424/tam-duong-2024/plan/d-7'"),
            1);

  // Bản Bo sends its plan on Monday 05/02; the district hears of it.
  clock().Set(Local(2024, 2, 5, 10));
  ASSERT_NO_FATAL_FAILURE(BanBoSendsItsPlan());
  ASSERT_NO_FATAL_FAILURE(Relay());
  std::vector<nv1::Notification> district = Inbox("units/106");
  ASSERT_FALSE(district.empty());
  EXPECT_EQ(district[0].kind(), nv1::NOTIFICATION_KIND_SUBMITTED);
  EXPECT_EQ(district[0].title(), "Xã Bản Bo đã gửi kế hoạch xây dựng nông thôn mới năm 2024");
  EXPECT_EQ(district[0].subject(), "units/03424/plans/tam-duong-2024");

  // Wednesday 07/02, the last working day before Tết: the "on the day" reminder, three days
  // early, to everyone who still owes something — Bản Bo only for its registration.
  clock().Set(Local(2024, 2, 7, 8));
  run = notifications_->app().RunReminders();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->added, 25);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE dedupe_key LIKE "
                  "'reminder/03424/tam-duong-2024/plan/d-0'"),
            0);
  std::vector<nv1::Notification> binh_lu = Inbox("units/03412");
  ASSERT_FALSE(binh_lu.empty());
  EXPECT_THAT(binh_lu[0].title(), HasSubstr("còn 3 ngày (hạn 10/02/2024 23:59)"));

  // Nothing during Tết; Thursday 15/02, the first working day after it: overdue notices, and the
  // district's digests naming the late communes.
  clock().Set(Local(2024, 2, 14, 9));
  EXPECT_EQ(notifications_->app().RunReminders()->added, 0);
  clock().Set(Local(2024, 2, 15, 8));
  run = notifications_->app().RunReminders();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->added, 25);
  EXPECT_EQ(run->digests, 2);
  district = Inbox("units/106");
  ASSERT_GE(district.size(), 2u);
  std::string digests = district[0].title() + "\n" + district[1].title();
  EXPECT_THAT(digests, HasSubstr("12 xã chưa gửi kế hoạch xây dựng nông thôn mới năm 2024 (quá "
                                 "hạn, ngày 15/02/2024)"));
  EXPECT_THAT(digests, HasSubstr("13 xã chưa gửi đăng ký mô hình điểm"));
}

// A service that was not running on a reminder day makes the reminder when it comes back, counting
// the days from then; a reminder meant for before the deadline is not made once it has passed.
TEST_F(NotificationsTest, RemindersMadeLateCountFromTodayAndNoneBeforeTheDeadlineAfterIt) {
  ASSERT_NO_FATAL_FAILURE(StartNotifications());
  ASSERT_NO_FATAL_FAILURE(IssueDirective());
  ASSERT_NO_FATAL_FAILURE(Relay());
  // Saturday 03/02, the day after the first slot (Friday 02/02).
  clock().Set(Local(2024, 2, 3, 9));
  absl::StatusOr<ReminderRun> run = notifications_->app().RunReminders();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->added, 26);
  std::vector<nv1::Notification> binh_lu = Inbox("units/03412");
  ASSERT_FALSE(binh_lu.empty());
  EXPECT_EQ(binh_lu[0].kind(), nv1::NOTIFICATION_KIND_REMINDER);
  EXPECT_THAT(binh_lu[0].title(), HasSubstr("còn 7 ngày (hạn 10/02/2024 23:59)"));

  // Back only on Monday 12/02, after the deadline and during Tết: the latest slot (07/02) was
  // before the deadline, so nothing now; the first overdue notice waits for 15/02.
  clock().Set(Local(2024, 2, 12, 8));
  run = notifications_->app().RunReminders();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->added, 0);
  EXPECT_EQ(run->digests, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE dedupe_key LIKE '%/d-0'"), 0);
}

TEST_F(NotificationsTest, MessagesGoOutByEmailAndSignedWebhooksAndFailuresStayVisible) {
  testing::SmtpSink smtp(::testing::TempDir() + "/smtp-sink");
  ASSERT_TRUE(smtp.ok()) << "aiosmtpd did not start (Debian package python3-aiosmtpd)";
  testing::WebhookSink hooks;
  options_.smtp_url = smtp.url();
  ASSERT_NO_FATAL_FAILURE(StartNotifications());

  const auto subscribe = [&](const std::string& inbox, nv1::Channel channel,
                             const std::string& address) {
    nv1::CreateSubscriptionRequest req;
    req.set_parent(inbox);
    req.mutable_subscription()->set_channel(channel);
    req.mutable_subscription()->set_address(address);
    nv1::CreateSubscriptionResponse resp;
    EXPECT_THAT(notifications_->notifications().CreateSubscription(
                    ServiceEnv::Context("can-bo-ban-bo").get(), req, &resp),
                GrpcOk());
    return resp.subscription();
  };
  subscribe("units/03424", nv1::CHANNEL_EMAIL, "ubnd@banbo.laichau.gov.vn");
  const nv1::Subscription hook =
      subscribe("units/03424", nv1::CHANNEL_WEBHOOK, hooks.Url("/ntm-events"));
  EXPECT_THAT(hook.secret(), ::testing::StartsWith("whsec_"));
  subscribe("units/03412", nv1::CHANNEL_WEBHOOK, hooks.Url("/missing"));
  subscribe("units/03412", nv1::CHANNEL_WEBHOOK,
            absl::StrCat("http://127.0.0.1:", testing::ClosedPort(), "/nobody"));

  // The environment agency urges both communes on waste collection.
  hooks.AnswerWith({503, 404});  // Bản Bo's hook first fails and must be retried; /missing 404
  nv1::SendUrgeRequest urge;
  urge.set_parent("units/106");
  urge.add_units("units/03424");
  urge.add_units("units/03412");
  urge.add_indicator_codes("17.6");
  urge.set_message("Đề nghị hoàn thành điểm tập kết rác thải của các bản trước 30/6.");
  urge.set_request_id("urge-2024-02-01");
  nv1::SendUrgeResponse urged;
  auto ctx = ServiceEnv::Context("tam-duong-tnmt");
  ctx->AddMetadata("x-ntm-agency", "agencies/tam-duong-tnmt");
  ASSERT_THAT(notifications_->notifications().SendUrge(ctx.get(), urge, &urged), GrpcOk());
  ASSERT_EQ(urged.notifications_size(), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages"), 4);

  // First round: the e-mail goes; the hook answers 503 (retry), /missing 404 (final), the dead
  // port refuses (retry).
  ASSERT_TRUE(notifications_->worker().RunOnce().ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages WHERE state = 'sent'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages WHERE state = 'failed'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages WHERE state = 'pending'"), 2);
  // Not due again before the back-off.
  ASSERT_EQ(*notifications_->worker().RunOnce(), 0);
  clock().Advance(absl::Seconds(16));
  ASSERT_TRUE(notifications_->worker().RunOnce().ok());
  clock().Advance(absl::Seconds(31));
  ASSERT_TRUE(notifications_->worker().RunOnce().ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages WHERE state = 'sent'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages WHERE state = 'failed'"), 2);

  // The e-mail as the SMTP server stored it.
  const std::vector<testing::ReceivedMail> mails = smtp.received();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].headers.at("to"), "ubnd@banbo.laichau.gov.vn");
  EXPECT_THAT(mails[0].headers.at("message-id"), HasSubstr("urge/agencies/tam-duong-tnmt/"));
  std::string subject;
  ASSERT_TRUE(absl::Base64Unescape(
      absl::StripSuffix(absl::StripPrefix(mails[0].headers.at("subject"), "=?UTF-8?B?"), "?="),
      &subject));
  EXPECT_EQ(subject, "Đôn đốc về chỉ tiêu 17.6");

  // The webhook: signed the Standard Webhooks way with the subscription's secret; the retry
  // carries the same id.
  std::vector<testing::ReceivedHook> got = hooks.received();
  std::vector<testing::ReceivedHook> ban_bo;
  for (const auto& h : got) {
    if (h.path == "/ntm-events") {
      ban_bo.push_back(h);
    }
  }
  ASSERT_EQ(ban_bo.size(), 2u);
  EXPECT_EQ(ban_bo[0].answered, 503);
  EXPECT_EQ(ban_bo[1].answered, 200);
  EXPECT_EQ(ban_bo[0].headers.at("webhook-id"), ban_bo[1].headers.at("webhook-id"));
  const std::string id = ban_bo[1].headers.at("webhook-id");
  int64_t timestamp = 0;
  ASSERT_TRUE(absl::SimpleAtoi(ban_bo[1].headers.at("webhook-timestamp"), &timestamp));
  EXPECT_EQ(ban_bo[1].headers.at("webhook-signature"),
            WebhookSignature(*WebhookKey(hook.secret()), id, timestamp, ban_bo[1].body));
  EXPECT_THAT(ban_bo[1].body, AllOf(HasSubstr("\"kind\":\"NOTIFICATION_KIND_URGE\""),
                                    HasSubstr("điểm tập kết rác thải")));

  // Failures are visible to the inbox's holder, with why.
  nv1::ListDeliveriesRequest list;
  list.set_parent("units/03412");
  list.set_state(nv1::DELIVERY_STATE_FAILED);
  nv1::ListDeliveriesResponse deliveries;
  ASSERT_THAT(notifications_->notifications().ListDeliveries(ServiceEnv::Context("x").get(), list,
                                                             &deliveries),
              GrpcOk());
  ASSERT_EQ(deliveries.deliveries_size(), 2);
  std::string errors;
  for (const nv1::Delivery& d : deliveries.deliveries()) {
    errors += d.last_error() + "\n";
  }
  EXPECT_THAT(errors, HasSubstr("HTTP 404 from " + hooks.Url("/missing")));
  EXPECT_THAT(errors, HasSubstr("(after 3 attempts)"));

  // The same urging again (a retry): nothing more.
  ctx = ServiceEnv::Context("tam-duong-tnmt");
  ctx->AddMetadata("x-ntm-agency", "agencies/tam-duong-tnmt");
  ASSERT_THAT(notifications_->notifications().SendUrge(ctx.get(), urge, &urged), GrpcOk());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications"), 2);
  EXPECT_EQ(urged.notifications_size(), 2);
}

TEST_F(NotificationsTest, ADeadSmtpServerEndsAsAVisibleFailure) {
  options_.smtp_url = absl::StrCat("smtp://127.0.0.1:", testing::ClosedPort());
  ASSERT_NO_FATAL_FAILURE(StartNotifications());
  Subscription s;
  s.inbox = "units/03424";
  s.channel = Channel::kEmail;
  s.address = "ubnd@banbo.laichau.gov.vn";
  ASSERT_TRUE(notifications_->app().Subscribe(Caller{"can-bo-ban-bo", ""}, s).ok());
  UrgeRequest u{"106", {"03424"}, {"17.6"}, "", "Nhắc thu gom rác", "u-1"};
  ASSERT_TRUE(
      notifications_->app().Urge(Caller{"tam-duong-tnmt", "agencies/tam-duong-tnmt"}, u).ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(notifications_->worker().RunOnce().ok());
    clock().Advance(absl::Minutes(5));
  }
  absl::StatusOr<std::vector<Message>> failed =
      notifications_->repo().ListMessages("units/03424", MessageState::kFailed, 0, 10);
  ASSERT_TRUE(failed.ok());
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].attempts, 3);
  EXPECT_THAT((*failed)[0].last_error, AllOf(HasSubstr("SMTP"), HasSubstr("(after 3 attempts)")));
}

TEST_F(NotificationsTest, TwoReplicasNeverSendTheSameMessage) {
  testing::WebhookSink hooks;
  hooks.SetDelay(absl::Milliseconds(5));  // a receiver slow enough for both replicas to work
  options_.delivery.batch = 4;
  options_.delivery.poll = absl::Milliseconds(20);
  ASSERT_NO_FATAL_FAILURE(StartNotifications());
  Subscription s;
  s.inbox = "units/03424";
  s.channel = Channel::kWebhook;
  s.address = hooks.Url("/hook");
  ASSERT_TRUE(notifications_->app().Subscribe(Caller{"can-bo-ban-bo", ""}, s).ok());
  for (int i = 0; i < 120; ++i) {
    UrgeRequest u{
        "106", {"03424"}, {"17.6"}, "", absl::StrCat("Nhắc lần ", i), absl::StrCat("u-", i)};
    ASSERT_TRUE(
        notifications_->app().Urge(Caller{"tam-duong-tnmt", "agencies/tam-duong-tnmt"}, u).ok());
  }
  std::unique_ptr<DeliveryWorker> b = notifications_->NewWorker("worker-b");
  notifications_->worker().Start(3);
  b->Start(3);
  for (int i = 0; i < 600 && Count("SELECT COUNT(*) FROM messages WHERE state = 'sent'") < 120;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  notifications_->worker().Stop();
  b->Stop();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages WHERE state = 'sent'"), 120);
  std::map<std::string, int> by_key;
  for (const testing::ReceivedHook& h : hooks.received()) {
    ++by_key[h.headers.at("webhook-id")];
  }
  EXPECT_EQ(by_key.size(), 120u);
  for (const auto& [key, n] : by_key) {
    EXPECT_EQ(n, 1) << key;
  }
  EXPECT_GT(notifications_->worker().sent(), 0u);
  EXPECT_GT(b->sent(), 0u);
}

}  // namespace
}  // namespace ntm::notifications
