// Domain ↔ ntm.notifications.v1 messages, and the parsing of inbox and child resource names.
#ifndef NTM_SERVICES_NOTIFICATIONS_API_CONVERT_H_
#define NTM_SERVICES_NOTIFICATIONS_API_CONVERT_H_

#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ntm/notifications/v1/notification.pb.h"
#include "services/notifications/domain/model.h"

namespace ntm::notifications::api {

namespace pb = ::ntm::notifications::v1;

// "units/{digits}", "agencies/{id}" or "principals/{id}" (id: lower-case letters, digits, '-',
// '_' and '.', at most 64). INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<std::string> ParseInbox(absl::string_view field, absl::string_view name);
// "{inbox}/{collection}/{id}" → {inbox, id}. INVALID_ARGUMENT naming `field`.
absl::StatusOr<std::pair<std::string, int64_t>> ParseInboxChild(absl::string_view field,
                                                                absl::string_view name,
                                                                absl::string_view collection);

void ToProto(const Notification& n, pb::Notification* out);
void ToProto(const Subscription& s, bool with_secret, pb::Subscription* out);
void ToProto(const Message& m, pb::Delivery* out);
pb::NotificationKind KindToProto(Kind kind);
std::optional<Kind> KindFromProto(pb::NotificationKind kind);

// A notification as the JSON body of a webhook: the Notification in protobuf's JSON mapping.
std::string NotificationJson(const Notification& n);

}  // namespace ntm::notifications::api

#endif  // NTM_SERVICES_NOTIFICATIONS_API_CONVERT_H_
