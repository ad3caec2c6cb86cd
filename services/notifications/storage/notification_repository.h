// The notifications service's storage on MySQL/MariaDB: accepted events, directives,
// notifications, subscriptions and the messages to send. Uniqueness that matters under
// concurrency (an event accepted once, a notification or a message added once, a message claimed
// by one worker) is held by the database: unique keys and SELECT … FOR UPDATE SKIP LOCKED.
#ifndef NTM_SERVICES_NOTIFICATIONS_STORAGE_NOTIFICATION_REPOSITORY_H_
#define NTM_SERVICES_NOTIFICATIONS_STORAGE_NOTIFICATION_REPOSITORY_H_

#include <cppconn/connection.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/db/migrations.h"
#include "services/common/db/pool.h"
#include "services/notifications/domain/model.h"

namespace ntm::db {
// The schema's migrations, embedded from services/notifications/migrations.
const std::vector<Migration>& NotificationsMigrations();
}  // namespace ntm::db

namespace ntm::notifications {

// The writes of one transaction.
class NotificationTx {
 public:
  explicit NotificationTx(sql::Connection& conn) : conn_(conn) {}

  // Records an event; false when its id was accepted before (nothing written).
  bool InsertEvent(const IncomingEvent& event, absl::Time now);
  // Adds or replaces what is known of a directive.
  void UpsertDirective(const DirectiveInfo& directive);
  std::optional<DirectiveInfo> GetDirective(const std::string& id);
  // Adds a notification unless one with its dedupe key exists, and queues a message for each
  // subscription of its inbox that takes its kind; the message's idempotency key is
  // "{dedupe_key}/{channel}/{subscription id}". The new id, or nullopt when it existed.
  std::optional<int64_t> AddNotification(const Notification& n, absl::Time now);
  // The notification with this dedupe key, if any.
  std::optional<Notification> FindByDedupeKey(const std::string& key);

 private:
  sql::Connection& conn_;
};

// A message claimed for sending, with the notification it carries.
struct ClaimedMessage {
  Message message;
  Notification notification;
};

// A page of an inbox: newest first.
struct NotificationPage {
  std::vector<Notification> notifications;
  int unread = 0;
};

class NotificationRepository {
 public:
  explicit NotificationRepository(db::ConnectionPool* pool) : pool_(pool) {}

  // Runs `fn` in one transaction (retried from the start on a lost connection or deadlock).
  absl::Status InTransaction(absl::FunctionRef<absl::Status(NotificationTx&)> fn);

  // Directives whose deadline is after `since`.
  absl::StatusOr<std::vector<DirectiveInfo>> DirectivesAfter(absl::Time since);

  // An inbox's notifications with id below `before_id` (0: from the newest), newest first.
  absl::StatusOr<NotificationPage> ListNotifications(const std::string& inbox, bool unread_only,
                                                     std::optional<Kind> kind, int64_t before_id,
                                                     int limit);
  // The inbox's notifications with id above `after_id`, oldest first.
  absl::StatusOr<std::vector<Notification>> NotificationsAfter(const std::string& inbox,
                                                               int64_t after_id, int limit);
  // The highest notification id of an inbox (0 when empty).
  absl::StatusOr<int64_t> LastNotificationId(const std::string& inbox);
  // Marks read the inbox's notifications in `ids`, or (when `up_to_id` > 0) every one up to it.
  // NOT_FOUND naming the first id that is not the inbox's. Returns {marked, still unread}.
  absl::StatusOr<std::pair<int, int>> MarkRead(const std::string& inbox,
                                               const std::vector<int64_t>& ids, int64_t up_to_id,
                                               absl::Time now);

  // ALREADY_EXISTS when the inbox already has that channel and address.
  absl::StatusOr<Subscription> CreateSubscription(const Subscription& s, absl::Time now);
  absl::StatusOr<std::vector<Subscription>> ListSubscriptions(const std::string& inbox);
  // NOT_FOUND when the inbox has no such subscription.
  absl::Status DeleteSubscription(const std::string& inbox, int64_t id);

  // The inbox's messages with id below `before_id` (0: from the newest), newest first.
  absl::StatusOr<std::vector<Message>> ListMessages(const std::string& inbox,
                                                    std::optional<MessageState> state,
                                                    int64_t before_id, int limit);

  // Claims up to `limit` messages due at `now` — pending ones whose next attempt has come, and
  // ones whose sender's lease ran out — for `worker` until `now + lease`, counting the attempt.
  // A message whose lease ran out after its last allowed attempt is marked failed instead.
  absl::StatusOr<std::vector<ClaimedMessage>> ClaimDue(const std::string& worker, absl::Time now,
                                                       absl::Duration lease, int limit,
                                                       int max_attempts);
  // The outcome of an attempt by `worker`; false when the message is no longer claimed by it
  // (its lease ran out and another worker took it).
  absl::StatusOr<bool> MarkSent(int64_t id, const std::string& worker, absl::Time now);
  absl::StatusOr<bool> MarkRetry(int64_t id, const std::string& worker, absl::Time next_attempt,
                                 const std::string& error);
  absl::StatusOr<bool> MarkFailed(int64_t id, const std::string& worker, const std::string& error);
  // Not sent because it no longer applies (`why`).
  absl::StatusOr<bool> MarkCancelled(int64_t id, const std::string& worker, const std::string& why);

 private:
  db::ConnectionPool* pool_;
};

}  // namespace ntm::notifications

#endif  // NTM_SERVICES_NOTIFICATIONS_STORAGE_NOTIFICATION_REPOSITORY_H_
