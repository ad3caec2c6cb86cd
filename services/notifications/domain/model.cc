#include "services/notifications/domain/model.h"

#include <utility>

namespace ntm::notifications {
namespace {

template <typename E, size_t N>
std::optional<E> Find(const std::pair<E, const char*> (&table)[N], absl::string_view name) {
  for (const auto& [value, text] : table) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string NameOf(const std::pair<E, const char*> (&table)[N], E value) {
  for (const auto& [v, text] : table) {
    if (v == value) {
      return text;
    }
  }
  return "";
}

constexpr std::pair<Kind, const char*> kKinds[] = {
    {Kind::kReminder, "reminder"},
    {Kind::kOverdue, "overdue"},
    {Kind::kDirectiveIssued, "directive_issued"},
    {Kind::kDeadlineExtended, "deadline_extended"},
    {Kind::kSubmitted, "submitted"},
    {Kind::kReturned, "returned"},
    {Kind::kAccepted, "accepted"},
    {Kind::kUrge, "urge"},
};

constexpr std::pair<Channel, const char*> kChannels[] = {
    {Channel::kInApp, "in_app"}, {Channel::kEmail, "email"}, {Channel::kWebhook, "webhook"}};

constexpr std::pair<MessageState, const char*> kStates[] = {
    {MessageState::kPending, "pending"},
    {MessageState::kSending, "sending"},
    {MessageState::kSent, "sent"},
    {MessageState::kFailed, "failed"},
    {MessageState::kCancelled, "cancelled"}};

}  // namespace

std::string KindName(Kind kind) { return NameOf(kKinds, kind); }
std::optional<Kind> ParseKind(absl::string_view name) { return Find(kKinds, name); }
std::string ChannelName(Channel channel) { return NameOf(kChannels, channel); }
std::optional<Channel> ParseChannel(absl::string_view name) { return Find(kChannels, name); }
std::string MessageStateName(MessageState state) { return NameOf(kStates, state); }
std::optional<MessageState> ParseMessageState(absl::string_view name) {
  return Find(kStates, name);
}

}  // namespace ntm::notifications
