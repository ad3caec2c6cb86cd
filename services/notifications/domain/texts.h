// What the notifications say, in Vietnamese, and which notifications an event from another
// service makes. Pure functions of their inputs.
#ifndef NTM_SERVICES_NOTIFICATIONS_DOMAIN_TEXTS_H_
#define NTM_SERVICES_NOTIFICATIONS_DOMAIN_TEXTS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/notifications/domain/model.h"
#include "services/notifications/domain/schedule.h"

namespace ntm::notifications {

// "kế hoạch xây dựng nông thôn mới", "đăng ký mô hình điểm và thay đổi của các bản".
std::string DeliverableText(const std::string& deliverable);
// "10/02/2024 23:59" in Asia/Ho_Chi_Minh.
std::string LocalDateTimeText(absl::Time t);

// A commune that still owes a deliverable when a slot is due.
struct OwingUnit {
  std::string unit_code;
  std::string display_name;
  // The deadline that applies to it (its extension, if any).
  absl::Time deadline;
  bool extended = false;
};

// The reminder (before the deadline) or overdue notice (after it) of `unit` for `slot`, in the
// unit's inbox. Dedupe key "reminder/{unit}/{directive id}/{deliverable}/{offset}".
Notification ReminderNotification(const DirectiveInfo& directive, const std::string& deliverable,
                                  const OwingUnit& unit, const Slot& slot);

// The copy to the district (the directive's issuing unit) of the overdue notices of one slot:
// which communes have still not sent the deliverable. Dedupe key
// "overdue-digest/{issuing unit}/{directive id}/{deliverable}/{offset}".
Notification OverdueDigest(const DirectiveInfo& directive, const std::string& deliverable,
                           const Slot& slot, const std::vector<OwingUnit>& units);

// What an event means for the notifications service.
struct EventEffect {
  // A directive to remember (directive.created).
  std::optional<DirectiveInfo> directive;
  // The notifications to add.
  std::vector<Notification> notifications;
};

// The effect of `event`. `known` is the directive the event refers to, when the service knows
// it. Events that concern no one (edits, creations of drafts) have no effect. INVALID_ARGUMENT
// when the payload is not a JSON object or lacks a field its type needs.
absl::StatusOr<EventEffect> EffectOfEvent(const IncomingEvent& event,
                                          const std::optional<DirectiveInfo>& known);

// The directive id an event's payload names ("directive"), or "" when it names none.
std::string DirectiveIdOfEvent(const IncomingEvent& event);

}  // namespace ntm::notifications

#endif  // NTM_SERVICES_NOTIFICATIONS_DOMAIN_TEXTS_H_
