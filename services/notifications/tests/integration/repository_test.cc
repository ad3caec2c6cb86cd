// The notifications storage in MariaDB: an event accepted once, a notification added once with a
// message per matching subscription, inbox reads, subscriptions unique per channel and address,
// and message claims that never give one message to two workers at once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "services/assessment/tests/test_env.h"
#include "services/common/db/migrations.h"
#include "services/notifications/storage/notification_repository.h"

namespace ntm::notifications {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1706835600);  // 02/02/2024 08:00 +07:00

class RepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pool = db::ConnectionPool::Create(assessment::testing::TestDbOptions());
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
    ASSERT_TRUE(db::ApplyMigrations(*pool_, db::NotificationsMigrations()).ok());
    repo_ = std::make_unique<NotificationRepository>(pool_.get());
  }
  void TearDown() override { assessment::testing::DropSchema(*pool_); }

  int64_t Count(const std::string& sql) { return assessment::testing::QueryIntOn(*pool_, sql); }

  static Notification Reminder(const std::string& unit, const std::string& offset) {
    Notification n;
    n.inbox = "units/" + unit;
    n.kind = Kind::kReminder;
    n.title = "Nhắc nộp kế hoạch xây dựng nông thôn mới năm 2024: còn 8 ngày";
    n.body = "Xã chưa gửi kế hoạch.";
    n.directive = "units/106/directives/tam-duong-2024";
    n.deliverable = kPlan;
    n.unit = n.inbox;
    n.sender = "system";
    n.dedupe_key = absl::StrCat("reminder/", unit, "/tam-duong-2024/plan/", offset);
    return n;
  }

  std::optional<int64_t> Add(const Notification& n) {
    std::optional<int64_t> id;
    EXPECT_TRUE(repo_
                    ->InTransaction([&](NotificationTx& tx) {
                      id = tx.AddNotification(n, kNow);
                      return absl::OkStatus();
                    })
                    .ok());
    return id;
  }

  Subscription Subscribe(const std::string& inbox, Channel channel, const std::string& address,
                         std::vector<Kind> kinds = {}) {
    Subscription s;
    s.inbox = inbox;
    s.channel = channel;
    s.address = address;
    s.kinds = std::move(kinds);
    s.created_by = "can-bo-ban-bo";
    absl::StatusOr<Subscription> stored = repo_->CreateSubscription(s, kNow);
    EXPECT_TRUE(stored.ok()) << stored.status();
    return stored.value_or(s);
  }

  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<NotificationRepository> repo_;
};

// Long texts are kept whole, and what does not fit a column is refused, never cut short: a
// district's digest naming many communes is far longer than 64 KiB.
TEST_F(RepositoryTest, LongTextsAreKeptWholeAndWhatDoesNotFitIsRefused) {
  Notification digest = Reminder("106", "d+1");
  digest.body.clear();
  for (int i = 0; digest.body.size() < 200000; ++i) {
    absl::StrAppend(&digest.body, "- Xã số ", i, ": chưa gửi kế hoạch\n");
  }
  const std::optional<int64_t> id = Add(digest);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(Count(absl::StrCat("SELECT LENGTH(body) FROM notifications WHERE id = ", *id)),
            static_cast<int64_t>(digest.body.size()));

  IncomingEvent big;
  big.event_id = "plans/directive.created/big";
  big.type = "directive.created";
  big.subject = "units/106/directives/big";
  big.source = "plans";
  big.payload_json = "{\"units\": [";
  for (int i = 0; i < 10000; ++i) {
    absl::StrAppend(&big.payload_json, i == 0 ? "" : ", ", "\"units/", 10000 + i, "\"");
  }
  absl::StrAppend(&big.payload_json, "]}");
  big.created_at = kNow;
  ASSERT_TRUE(repo_
                  ->InTransaction([&](NotificationTx& tx) {
                    EXPECT_TRUE(tx.InsertEvent(big, kNow));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(
      Count("SELECT LENGTH(payload) FROM events WHERE event_id = 'plans/directive.created/big'"),
      static_cast<int64_t>(big.payload_json.size()));

  // A title longer than its column: an error, and nothing of the transaction stays.
  const int64_t before = Count("SELECT COUNT(*) FROM notifications");
  Notification too_long = Reminder("03424", "d-3");
  too_long.title = std::string(600, 'x');
  const absl::Status status = repo_->InTransaction([&](NotificationTx& tx) {
    tx.AddNotification(too_long, kNow);
    return absl::OkStatus();
  });
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.ToString(), HasSubstr("did not fit its columns"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications"), before);
}

TEST_F(RepositoryTest, AnEventIsAcceptedOnce) {
  IncomingEvent e;
  e.event_id = "plans/tam-duong-2024.03424/submit/3";
  e.type = "plan.submit";
  e.subject = "plans/tam-duong-2024.03424";
  e.source = "plans";
  e.payload_json = R"({"unit": "units/03424"})";
  e.created_at = kNow;
  bool first = false;
  bool second = true;
  ASSERT_TRUE(repo_
                  ->InTransaction([&](NotificationTx& tx) {
                    first = tx.InsertEvent(e, kNow);
                    second = tx.InsertEvent(e, kNow);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_TRUE(first);
  EXPECT_FALSE(second);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events"), 1);
}

TEST_F(RepositoryTest, ANotificationIsAddedOnceWithAMessagePerMatchingSubscription) {
  const Subscription mail = Subscribe("units/03424", Channel::kEmail, "ubnd@banbo.laichau.gov.vn");
  Subscribe("units/03424", Channel::kWebhook, "http://127.0.0.1:9/hook", {Kind::kAccepted});
  Subscribe("units/03412", Channel::kEmail, "ubnd@binhlu.laichau.gov.vn");

  const std::optional<int64_t> id = Add(Reminder("03424", "d-7"));
  ASSERT_TRUE(id.has_value());
  EXPECT_FALSE(Add(Reminder("03424", "d-7")).has_value()) << "the same reminder twice";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications"), 1);
  // The webhook takes only acceptances; the other commune's address is not this inbox's.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages"), 1);
  absl::StatusOr<std::vector<Message>> messages =
      repo_->ListMessages("units/03424", std::nullopt, 0, 10);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ((*messages)[0].idempotency_key,
            absl::StrCat("reminder/03424/tam-duong-2024/plan/d-7/email/", mail.id));
  EXPECT_EQ((*messages)[0].state, MessageState::kPending);

  absl::StatusOr<NotificationPage> page =
      repo_->ListNotifications("units/03424", false, std::nullopt, 0, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->notifications.size(), 1u);
  EXPECT_EQ(page->notifications[0].title,
            "Nhắc nộp kế hoạch xây dựng nông thôn mới năm 2024: còn 8 ngày");
  EXPECT_EQ(page->unread, 1);
}

TEST_F(RepositoryTest, InboxPagesUnreadAndMarkRead) {
  std::vector<int64_t> ids;
  for (const char* offset : {"d-7", "d-3", "d-1", "d-0"}) {
    ids.push_back(*Add(Reminder("03424", offset)));
  }
  Add(Reminder("03412", "d-7"));
  absl::StatusOr<NotificationPage> page =
      repo_->ListNotifications("units/03424", false, std::nullopt, 0, 3);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->notifications.size(), 3u);
  EXPECT_EQ(page->notifications[0].id, ids[3]);  // newest first
  page = repo_->ListNotifications("units/03424", false, std::nullopt, page->notifications[2].id, 3);
  ASSERT_EQ(page->notifications.size(), 1u);
  EXPECT_EQ(page->notifications[0].id, ids[0]);

  absl::StatusOr<std::pair<int, int>> marked = repo_->MarkRead("units/03424", {ids[0]}, 0, kNow);
  ASSERT_TRUE(marked.ok());
  EXPECT_EQ(*marked, std::make_pair(1, 3));
  marked = repo_->MarkRead("units/03424", {}, ids[2], kNow);
  EXPECT_EQ(*marked, std::make_pair(2, 1));
  // Another inbox's notification is not found in this one; nothing changes.
  const int64_t other = *repo_->LastNotificationId("units/03412");
  EXPECT_THAT(
      std::string(repo_->MarkRead("units/03424", {ids[3], other}, 0, kNow).status().message()),
      HasSubstr(absl::StrCat("names: units/03424/notifications/", other, " not found")));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE read_at IS NULL"), 2);

  absl::StatusOr<std::vector<Notification>> after =
      repo_->NotificationsAfter("units/03424", ids[1], 10);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*after)[0].id, ids[2]);
}

TEST_F(RepositoryTest, SubscriptionsAreUniquePerChannelAndAddress) {
  Subscribe("units/03424", Channel::kEmail, "ubnd@banbo.laichau.gov.vn");
  Subscription again;
  again.inbox = "units/03424";
  again.channel = Channel::kEmail;
  again.address = "ubnd@banbo.laichau.gov.vn";
  again.created_by = "x";
  EXPECT_EQ(repo_->CreateSubscription(again, kNow).status().code(),
            absl::StatusCode::kAlreadyExists);
  absl::StatusOr<std::vector<Subscription>> list = repo_->ListSubscriptions("units/03424");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(repo_->DeleteSubscription("units/03412", (*list)[0].id).code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(repo_->DeleteSubscription("units/03424", (*list)[0].id).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM subscriptions"), 0);
}

TEST_F(RepositoryTest, AClaimedMessageIsRetriedSentOrFailedOnlyByItsWorker) {
  Subscribe("units/03424", Channel::kWebhook, "http://127.0.0.1:9/hook");
  Add(Reminder("03424", "d-7"));
  absl::StatusOr<std::vector<ClaimedMessage>> a =
      repo_->ClaimDue("worker-a", kNow, absl::Seconds(30), 10, 3);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ((*a)[0].message.attempts, 1);
  EXPECT_EQ((*a)[0].notification.kind, Kind::kReminder);
  // Held by its lease: nobody else gets it.
  EXPECT_TRUE(
      repo_->ClaimDue("worker-b", kNow + absl::Seconds(10), absl::Seconds(30), 10, 3)->empty());
  const int64_t id = (*a)[0].message.id;
  EXPECT_TRUE(*repo_->MarkRetry(id, "worker-a", kNow + absl::Seconds(20), "HTTP 503"));
  EXPECT_TRUE(
      repo_->ClaimDue("worker-b", kNow + absl::Seconds(19), absl::Seconds(30), 10, 3)->empty());
  // The lease of worker-b runs out: worker-a's late outcome is refused.
  absl::StatusOr<std::vector<ClaimedMessage>> b =
      repo_->ClaimDue("worker-b", kNow + absl::Seconds(20), absl::Seconds(30), 10, 3);
  ASSERT_EQ(b->size(), 1u);
  EXPECT_EQ((*b)[0].message.attempts, 2);
  absl::StatusOr<std::vector<ClaimedMessage>> c =
      repo_->ClaimDue("worker-c", kNow + absl::Seconds(51), absl::Seconds(30), 10, 3);
  ASSERT_EQ(c->size(), 1u);
  EXPECT_FALSE(*repo_->MarkSent(id, "worker-b", kNow + absl::Seconds(52)));
  EXPECT_TRUE(*repo_->MarkFailed(id, "worker-c", "HTTP 404 from http://127.0.0.1:9/hook"));
  absl::StatusOr<std::vector<Message>> listed =
      repo_->ListMessages("units/03424", MessageState::kFailed, 0, 10);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].attempts, 3);
  EXPECT_EQ((*listed)[0].last_error, "HTTP 404 from http://127.0.0.1:9/hook");
}

TEST_F(RepositoryTest, ALeaseRunningOutAfterTheLastAttemptFailsTheMessage) {
  Subscribe("units/03424", Channel::kWebhook, "http://127.0.0.1:9/hook");
  Add(Reminder("03424", "d-7"));
  ASSERT_EQ(repo_->ClaimDue("w", kNow, absl::Seconds(5), 10, 1)->size(), 1u);
  // The sender stopped without an outcome; one attempt was all that was allowed.
  EXPECT_TRUE(repo_->ClaimDue("w2", kNow + absl::Seconds(6), absl::Seconds(5), 10, 1)->empty());
  absl::StatusOr<std::vector<Message>> listed =
      repo_->ListMessages("units/03424", MessageState::kFailed, 0, 10);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_THAT((*listed)[0].last_error, HasSubstr("no outcome was recorded for attempt 1 of 1"));
}

TEST_F(RepositoryTest, ConcurrentWorkersNeverClaimTheSameMessage) {
  Subscribe("units/03424", Channel::kWebhook, "http://127.0.0.1:9/hook");
  for (int i = 0; i < 200; ++i) {
    Add(Reminder("03424", absl::StrCat("d-", i)));
  }
  absl::Mutex mu;
  std::map<int64_t, int> claims;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      const std::string name = absl::StrCat("worker-", w);
      for (;;) {
        absl::StatusOr<std::vector<ClaimedMessage>> got =
            repo_->ClaimDue(name, kNow, absl::Minutes(5), 7, 3);
        ASSERT_TRUE(got.ok()) << got.status();
        if (got->empty()) {
          return;
        }
        for (const ClaimedMessage& c : *got) {
          {
            absl::MutexLock lock(&mu);
            ++claims[c.message.id];
          }
          ASSERT_TRUE(*repo_->MarkSent(c.message.id, name, kNow));
        }
      }
    });
  }
  for (std::thread& t : workers) {
    t.join();
  }
  EXPECT_EQ(claims.size(), 200u);
  for (const auto& [id, n] : claims) {
    EXPECT_EQ(n, 1) << "message " << id;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM messages WHERE state = 'sent'"), 200);
}

}  // namespace
}  // namespace ntm::notifications
