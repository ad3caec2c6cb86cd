// The notifications domain: inboxes' notifications, subscriptions (channels besides the in-app
// inbox), messages to send with their attempts, the directives reminders are computed for, and
// the events accepted from the other services. Pure data: no gRPC, no SQL.
#ifndef NTM_SERVICES_NOTIFICATIONS_DOMAIN_MODEL_H_
#define NTM_SERVICES_NOTIFICATIONS_DOMAIN_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace ntm::notifications {

enum class Kind {
  kReminder = 1,
  kOverdue = 2,
  kDirectiveIssued = 3,
  kDeadlineExtended = 4,
  kSubmitted = 5,
  kReturned = 6,
  kAccepted = 7,
  kUrge = 8,
};
// "reminder", "overdue", "directive_issued", "deadline_extended", "submitted", "returned",
// "accepted", "urge": the names stored in the database.
std::string KindName(Kind kind);
std::optional<Kind> ParseKind(absl::string_view name);

enum class Channel { kInApp = 1, kEmail = 2, kWebhook = 3 };
// "in_app", "email", "webhook".
std::string ChannelName(Channel channel);
std::optional<Channel> ParseChannel(absl::string_view name);

enum class MessageState { kPending = 1, kSending = 2, kSent = 3, kFailed = 4, kCancelled = 5 };
// "pending", "sending", "sent", "failed", "cancelled".
std::string MessageStateName(MessageState state);
std::optional<MessageState> ParseMessageState(absl::string_view name);

// The deliverables a directive asks for, as events and reminders name them.
inline constexpr char kPlan[] = "plan";
inline constexpr char kRegistration[] = "registration";

struct Notification {
  int64_t id = 0;
  // "units/03424", "agencies/tam-duong-yte" or "principals/can-bo-ban-bo".
  std::string inbox;
  Kind kind = Kind::kReminder;
  std::string title;
  std::string body;
  // "units/106/directives/tam-duong-2024", or empty.
  std::string directive;
  // kPlan, kRegistration or empty.
  std::string deliverable;
  // The resource it concerns, e.g. "units/03424/plans/tam-duong-2024".
  std::string subject;
  // The commune it concerns, "units/03424".
  std::string unit;
  std::vector<std::string> indicator_codes;
  // A principal id, or "system".
  std::string sender;
  std::string sender_agency;
  // The deadline it refers to, "2024-02-10T23:59:59+07:00".
  std::string deadline_local;
  // Unique: the same reminder, event or urging is never added twice.
  std::string dedupe_key;
  absl::Time created_at;
  std::optional<absl::Time> read_at;
};

struct Subscription {
  int64_t id = 0;
  std::string inbox;
  Channel channel = Channel::kEmail;
  std::string address;
  // Webhooks: "whsec_…".
  std::string secret;
  // Empty: every kind.
  std::vector<Kind> kinds;
  std::string created_by;
  absl::Time created_at;
};

// One notification on one channel, with its attempts.
struct Message {
  int64_t id = 0;
  int64_t notification_id = 0;
  std::string inbox;
  Channel channel = Channel::kEmail;
  std::string address;
  std::string secret;
  std::string idempotency_key;
  MessageState state = MessageState::kPending;
  int attempts = 0;
  absl::Time next_attempt_at;
  std::optional<absl::Time> lease_until;
  std::string claimed_by;
  std::optional<absl::Time> last_attempt_at;
  std::optional<absl::Time> sent_at;
  std::string last_error;
  absl::Time created_at;
};

// A directive as the plans service announced it.
struct DirectiveInfo {
  std::string id;
  // "units/106/directives/tam-duong-2024".
  std::string name;
  std::string issuing_unit_code;
  int year = 0;
  std::string title;
  // kPlan and/or kRegistration.
  std::vector<std::string> deliverables;
  absl::Time deadline;
  absl::Time created_at;
};

// An event from a service's outbox.
struct IncomingEvent {
  std::string event_id;
  std::string type;
  std::string subject;
  std::string source;
  std::string payload_json;
  absl::Time created_at;
};

}  // namespace ntm::notifications

#endif  // NTM_SERVICES_NOTIFICATIONS_DOMAIN_MODEL_H_
