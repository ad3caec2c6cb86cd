// Text for people about the notifications service: Vietnamese labels of its enums and how ntmctl
// prints an inbox, one notification as it arrives, the record of deliveries and the
// subscriptions; and the parsing of the words ntmctl takes for kinds, channels and states.
#ifndef NTM_TOOLS_NTMCTL_RENDER_NOTIFICATIONS_H_
#define NTM_TOOLS_NTMCTL_RENDER_NOTIFICATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ntm/notifications/v1/notification.pb.h"

namespace ntm::ntmctl {

// "Nhắc hạn", "Quá hạn", "Văn bản chỉ đạo", "Gia hạn", "Đã gửi lên", "Trả lại", "Chấp nhận",
// "Đôn đốc"; "–" for UNSPECIFIED.
std::string NotificationKindLabel(notifications::v1::NotificationKind kind);
// "Trong ứng dụng", "Thư điện tử", "Webhook"; "–" for UNSPECIFIED.
std::string ChannelLabel(notifications::v1::Channel channel);
// "Chờ gửi", "Đang gửi", "Đã gửi", "Thất bại", "Đã hủy"; "–" for UNSPECIFIED.
std::string DeliveryStateLabel(notifications::v1::DeliveryState state);

// The words of the command line: reminder, overdue, directive, extended, submitted, returned,
// accepted, urge; in-app, email, webhook; pending, sending, sent, failed, cancelled. Usage error
// listing the accepted words for anything else.
absl::StatusOr<notifications::v1::NotificationKind> ParseNotificationKind(absl::string_view word);
// A comma-separated list of kinds ("reminder,overdue"); empty for "".
absl::StatusOr<std::vector<notifications::v1::NotificationKind>> ParseNotificationKinds(
    absl::string_view words);
absl::StatusOr<notifications::v1::Channel> ParseChannel(absl::string_view word);
absl::StatusOr<notifications::v1::DeliveryState> ParseDeliveryState(absl::string_view word);

// One notification: a mark (● unread, ○ read), its local time, kind and title, then its body,
// what it is about (directive, deliverable, unit, indicators, sender) and its name, indented.
std::string RenderNotification(const notifications::v1::Notification& notification);
// An inbox page: its heading with the unread count, each notification (newest first, as listed),
// and how to see more when there is a next page.
std::string RenderInbox(absl::string_view inbox,
                        const notifications::v1::ListNotificationsResponse& page);
// The deliveries of an inbox: one row each (created, channel, address, state, attempts, sent or
// next attempt, the last error), then the idempotency keys of the failed ones.
std::string RenderDeliveries(absl::string_view inbox,
                             const notifications::v1::ListDeliveriesResponse& page);
// The subscriptions of an inbox: name, channel, address, kinds (all when none), who made it.
std::string RenderSubscriptions(absl::string_view inbox,
                                const std::vector<notifications::v1::Subscription>& subscriptions);

}  // namespace ntm::ntmctl

#endif  // NTM_TOOLS_NTMCTL_RENDER_NOTIFICATIONS_H_
