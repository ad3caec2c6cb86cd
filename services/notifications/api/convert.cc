#include "services/notifications/api/convert.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/request.h"
#include "services/notifications/domain/model.h"

namespace ntm::notifications::api {
namespace {

constexpr char kInboxForms[] =
    "\"units/03424\", \"agencies/tam-duong-yte\" or \"principals/can-bo-ban-bo\"";

bool IsId(absl::string_view id) {
  if (id.empty() || id.size() > 64) {
    return false;
  }
  for (char c : id) {
    if (!(absl::ascii_islower(static_cast<unsigned char>(c)) ||
          absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      return false;
    }
  }
  return true;
}

bool IsDigits(absl::string_view s) {
  if (s.empty() || s.size() > 16) {
    return false;
  }
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> ParseInbox(absl::string_view field, absl::string_view name) {
  absl::string_view rest = name;
  if (absl::ConsumePrefix(&rest, "units/") && IsDigits(rest)) {
    return std::string(name);
  }
  rest = name;
  if ((absl::ConsumePrefix(&rest, "agencies/") || absl::ConsumePrefix(&rest, "principals/")) &&
      IsId(rest)) {
    return std::string(name);
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": '", name, "' is not an inbox; expected ", kInboxForms));
}

absl::StatusOr<std::pair<std::string, int64_t>> ParseInboxChild(absl::string_view field,
                                                                absl::string_view name,
                                                                absl::string_view collection) {
  const std::string marker = absl::StrCat("/", collection, "/");
  const size_t at = name.rfind(marker);
  int64_t id = 0;
  if (at == absl::string_view::npos || !absl::SimpleAtoi(name.substr(at + marker.size()), &id) ||
      id <= 0 || !ParseInbox(field, name.substr(0, at)).ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": '", name, "' is not a name like \"units/03424/", collection, "/12\""));
  }
  return std::make_pair(std::string(name.substr(0, at)), id);
}

pb::NotificationKind KindToProto(Kind kind) {
  return static_cast<pb::NotificationKind>(static_cast<int>(kind));
}

std::optional<Kind> KindFromProto(pb::NotificationKind kind) {
  if (kind < pb::NOTIFICATION_KIND_REMINDER || kind > pb::NOTIFICATION_KIND_URGE) {
    return std::nullopt;
  }
  return static_cast<Kind>(static_cast<int>(kind));
}

void ToProto(const Notification& n, pb::Notification* out) {
  out->set_name(absl::StrCat(n.inbox, "/notifications/", n.id));
  out->set_inbox(n.inbox);
  out->set_kind(KindToProto(n.kind));
  out->set_title(n.title);
  out->set_body(n.body);
  out->set_directive(n.directive);
  if (n.deliverable == kPlan) {
    out->set_deliverable(ntm::plans::v1::DELIVERABLE_PLAN);
  } else if (n.deliverable == kRegistration) {
    out->set_deliverable(ntm::plans::v1::DELIVERABLE_REGISTRATION);
  }
  out->set_subject(n.subject);
  out->set_unit(n.unit);
  for (const std::string& code : n.indicator_codes) {
    out->add_indicator_codes(code);
  }
  out->set_sender(n.sender);
  out->set_sender_agency(n.sender_agency);
  ToTimestamp(n.created_at, out->mutable_create_time());
  out->set_read(n.read_at.has_value());
  if (n.read_at.has_value()) {
    ToTimestamp(*n.read_at, out->mutable_read_time());
  }
  out->set_deadline_local(n.deadline_local);
}

void ToProto(const Subscription& s, bool with_secret, pb::Subscription* out) {
  out->set_name(absl::StrCat(s.inbox, "/subscriptions/", s.id));
  out->set_channel(static_cast<pb::Channel>(static_cast<int>(s.channel)));
  out->set_address(s.address);
  if (with_secret) {
    out->set_secret(s.secret);
  }
  for (Kind k : s.kinds) {
    out->add_kinds(KindToProto(k));
  }
  out->set_created_by(s.created_by);
  ToTimestamp(s.created_at, out->mutable_create_time());
}

void ToProto(const Message& m, pb::Delivery* out) {
  out->set_name(absl::StrCat(m.inbox, "/deliveries/", m.id));
  out->set_notification(absl::StrCat(m.inbox, "/notifications/", m.notification_id));
  out->set_channel(static_cast<pb::Channel>(static_cast<int>(m.channel)));
  out->set_address(m.address);
  out->set_idempotency_key(m.idempotency_key);
  out->set_state(static_cast<pb::DeliveryState>(static_cast<int>(m.state)));
  out->set_attempts(m.attempts);
  ToTimestamp(m.created_at, out->mutable_create_time());
  if (m.last_attempt_at.has_value()) {
    ToTimestamp(*m.last_attempt_at, out->mutable_last_attempt_time());
  }
  if (m.state == MessageState::kPending) {
    ToTimestamp(m.next_attempt_at, out->mutable_next_attempt_time());
  }
  if (m.sent_at.has_value()) {
    ToTimestamp(*m.sent_at, out->mutable_sent_time());
  }
  out->set_last_error(m.last_error);
}

std::string NotificationJson(const Notification& n) {
  pb::Notification proto;
  ToProto(n, &proto);
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  (void)google::protobuf::util::MessageToJsonString(proto, &json, options);
  return json;
}

}  // namespace ntm::notifications::api
