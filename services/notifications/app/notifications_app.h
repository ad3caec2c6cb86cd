// The notifications service's use cases: events in (each accepted once), reminders computed for
// every directive and owing commune, inbox reads and marks, subscriptions, urgings, and the
// record of deliveries. Speaks the domain; the gRPC layer converts. Time comes from the injected
// clock, so tests move time instead of sleeping.
#ifndef NTM_SERVICES_NOTIFICATIONS_APP_NOTIFICATIONS_APP_H_
#define NTM_SERVICES_NOTIFICATIONS_APP_NOTIFICATIONS_APP_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/assessment/client/assessment_client.h"
#include "services/common/caller.h"
#include "services/common/clock.h"
#include "services/notifications/app/obligations.h"
#include "services/notifications/domain/schedule.h"
#include "services/notifications/storage/notification_repository.h"

namespace ntm::notifications {

struct IngestResult {
  int accepted = 0;
  int duplicates = 0;
};

struct ReminderRun {
  // Reminders and overdue notices added now (not those added before).
  int added = 0;
  // Digests added to districts' inboxes.
  int digests = 0;
  // Directives skipped because the service that knows who owes what could not be reached.
  int skipped = 0;
};

struct UrgeRequest {
  std::string district_code;
  std::vector<std::string> unit_codes;
  std::vector<std::string> indicator_codes;
  std::string directive;
  std::string message;
  std::string request_id;
};

class NotificationsApp {
 public:
  // `on_added` is called after a commit that added notifications (to wake watchers and
  // delivery workers).
  NotificationsApp(NotificationRepository* repo, ObligationSource* obligations,
                   assessment::client::AssessmentClient* directory, Clock* clock,
                   ReminderPolicy policy, WorkCalendar calendar, std::function<void()> on_added);

  // Accepts a batch in one transaction: each new event's notifications are added with it.
  // INVALID_ARGUMENT naming events[i] for an empty or too long id or type, or a payload that is
  // not a JSON object; nothing is accepted then. A payload lacking what its type needs is kept
  // and logged, without notifications.
  absl::StatusOr<IngestResult> Ingest(const std::vector<IncomingEvent>& events);

  // For every directive still in its reminder window, each deliverable and each addressed
  // commune that still owes it: the latest due reminder slot's notice, once; for slots after the
  // deadline also the district's digest.
  absl::StatusOr<ReminderRun> RunReminders();

  absl::StatusOr<NotificationPage> List(const std::string& inbox, bool unread_only,
                                        std::optional<Kind> kind, int64_t before_id, int limit);
  absl::StatusOr<std::pair<int, int>> MarkRead(const std::string& inbox,
                                               const std::vector<int64_t>& ids, int64_t up_to);
  // Validates the channel, address and secret (making one for a webhook without); INVALID_ARGUMENT
  // naming the field.
  absl::StatusOr<Subscription> Subscribe(const Caller& caller, Subscription s);
  absl::StatusOr<std::vector<Subscription>> Subscriptions(const std::string& inbox);
  absl::Status Unsubscribe(const std::string& inbox, int64_t id);
  // One notification per commune; INVALID_ARGUMENT naming the field for a unit that is not a
  // commune of the district, no indicator, an empty or too long message, a missing request id.
  absl::StatusOr<std::vector<Notification>> Urge(const Caller& caller, const UrgeRequest& req);
  absl::StatusOr<std::vector<Message>> Deliveries(const std::string& inbox,
                                                  std::optional<MessageState> state,
                                                  int64_t before_id, int limit);

  const ReminderPolicy& policy() const { return policy_; }

 private:
  NotificationRepository* repo_;
  ObligationSource* obligations_;
  assessment::client::AssessmentClient* directory_;
  Clock* clock_;
  ReminderPolicy policy_;
  WorkCalendar calendar_;
  std::function<void()> on_added_;
};

}  // namespace ntm::notifications

#endif  // NTM_SERVICES_NOTIFICATIONS_APP_NOTIFICATIONS_APP_H_
