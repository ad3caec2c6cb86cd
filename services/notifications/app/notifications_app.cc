#include "services/notifications/app/notifications_app.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/log.h"
#include "services/common/status.h"
#include "services/notifications/domain/delivery_rules.h"
#include "services/notifications/domain/texts.h"

namespace ntm::notifications {
namespace {

constexpr size_t kMaxEventId = 200;
constexpr size_t kMaxType = 64;
constexpr size_t kMaxSubject = 255;
constexpr size_t kMaxAddress = 500;
constexpr size_t kMaxMessage = 2000;
// Directives stay in the reminder window this long after their own deadline (extensions
// included).
constexpr absl::Duration kExtensionSlack = absl::Hours(24 * 90);

// Characters, not bytes, of UTF-8 text.
size_t Chars(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    n += (c & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}

bool IsEmailAddress(const std::string& a) {
  const size_t at = a.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= a.size() ||
      a.find('@', at + 1) != std::string::npos) {
    return false;
  }
  for (unsigned char c : a) {
    if (c <= ' ' || c >= 0x7F || c == '<' || c == '>' || c == ',' || c == ';' || c == '"') {
      return false;
    }
  }
  return a.find('.', at) != std::string::npos;
}

bool IsWebhookUrl(const std::string& u) {
  if (!absl::StartsWith(u, "http://") && !absl::StartsWith(u, "https://")) {
    return false;
  }
  const size_t host = u.find("//") + 2;
  if (host >= u.size() || u[host] == '/' || u[host] == ':') {
    return false;
  }
  for (unsigned char c : u) {
    if (c <= ' ' || c >= 0x7F) {
      return false;
    }
  }
  return true;
}

std::string RandomBytes(size_t n) {
  std::random_device rd;
  std::string out(n, '\0');
  for (char& c : out) {
    c = static_cast<char>(rd() & 0xFF);
  }
  return out;
}

}  // namespace

NotificationsApp::NotificationsApp(NotificationRepository* repo, ObligationSource* obligations,
                                   assessment::client::AssessmentClient* directory, Clock* clock,
                                   ReminderPolicy policy, WorkCalendar calendar,
                                   std::function<void()> on_added)
    : repo_(repo),
      obligations_(obligations),
      directory_(directory),
      clock_(clock),
      policy_(std::move(policy)),
      calendar_(std::move(calendar)),
      on_added_(std::move(on_added)) {}

absl::StatusOr<IngestResult> NotificationsApp::Ingest(const std::vector<IncomingEvent>& events) {
  if (events.empty() || events.size() > 500) {
    return absl::InvalidArgumentError(
        absl::StrCat("events: ", events.size(), " given; send 1 to 500 at a time"));
  }
  for (size_t i = 0; i < events.size(); ++i) {
    const IncomingEvent& e = events[i];
    const std::string field = absl::StrCat("events[", i, "]");
    if (e.event_id.empty() || e.event_id.size() > kMaxEventId) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".event_id: must be 1 to ", kMaxEventId, " characters"));
    }
    if (e.type.empty() || e.type.size() > kMaxType) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".type: must be 1 to ", kMaxType, " characters"));
    }
    if (e.subject.size() > kMaxSubject) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".subject: at most ", kMaxSubject, " characters"));
    }
    if (!absl::StartsWith(absl::StripLeadingAsciiWhitespace(e.payload_json), "{")) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".payload_json: must be a JSON object"));
    }
  }
  IngestResult result;
  int added = 0;
  const absl::Time now = clock_->Now();
  NTM_RETURN_IF_ERROR(repo_->InTransaction([&](NotificationTx& tx) -> absl::Status {
    result = IngestResult();
    added = 0;
    for (size_t i = 0; i < events.size(); ++i) {
      const IncomingEvent& e = events[i];
      if (!tx.InsertEvent(e, now)) {
        ++result.duplicates;
        continue;
      }
      ++result.accepted;
      const std::string directive_id = DirectiveIdOfEvent(e);
      std::optional<DirectiveInfo> known;
      if (!directive_id.empty()) {
        known = tx.GetDirective(directive_id);
      }
      absl::StatusOr<EventEffect> effect = EffectOfEvent(e, known);
      if (!effect.ok()) {
        if (absl::IsInvalidArgument(effect.status()) &&
            !absl::StrContains(effect.status().message(), "not a JSON object")) {
          log::Warn(
              "event kept without effect",
              {{"event", e.event_id}, {"type", e.type}, {"error", effect.status().ToString()}});
          continue;
        }
        return absl::InvalidArgumentError(
            absl::StrCat("events[", i, "]: ", effect.status().message()));
      }
      if (effect->directive.has_value()) {
        tx.UpsertDirective(*effect->directive);
      }
      for (const Notification& n : effect->notifications) {
        if (tx.AddNotification(n, now).has_value()) {
          ++added;
        }
      }
    }
    return absl::OkStatus();
  }));
  if (result.accepted > 0) {
    log::Info("events accepted", {{"accepted", absl::StrCat(result.accepted)},
                                  {"duplicates", absl::StrCat(result.duplicates)},
                                  {"notifications", absl::StrCat(added)},
                                  {"source", events.front().source}});
  }
  if (added > 0 && on_added_) {
    on_added_();
  }
  return result;
}

absl::StatusOr<ReminderRun> NotificationsApp::RunReminders() {
  const absl::Time now = clock_->Now();
  ReminderRun run;
  const absl::CivilDay today = absl::ToCivilDay(now, VietnamTimeZone());
  const absl::Duration window = absl::Hours(24) * (policy_.max_days_after + 1) + kExtensionSlack;
  NTM_ASSIGN_OR_RETURN(std::vector<DirectiveInfo> directives, repo_->DirectivesAfter(now - window));
  for (const DirectiveInfo& d : directives) {
    for (const std::string& deliverable : d.deliverables) {
      absl::StatusOr<std::vector<UnitStanding>> standing = obligations_->Standing(d, deliverable);
      if (!standing.ok()) {
        ++run.skipped;
        log::Warn("reminders postponed", {{"directive", d.name},
                                          {"deliverable", deliverable},
                                          {"error", standing.status().ToString()}});
        continue;
      }
      // Notices due now, and the owing communes of each overdue slot for the district's digest.
      std::vector<Notification> notices;
      std::map<std::string, std::pair<Slot, std::vector<OwingUnit>>> overdue;
      for (const UnitStanding& u : *standing) {
        if (!u.owes) {
          continue;
        }
        std::optional<Slot> slot = LatestDue(ReminderSlots(u.deadline, policy_, calendar_), now);
        // A reminder before the deadline that was not made in time (the service was down, or
        // the directive arrived late) would only mislead once the deadline has passed.
        if (!slot.has_value() || (!slot->after && now >= u.deadline)) {
          continue;
        }
        // Made on a later day than its slot's (the service was not running then): the days left
        // or late are counted from today, as the reader will.
        slot->day = std::max(slot->day, today);
        const OwingUnit owing{u.unit_code, u.display_name, u.deadline, u.extended};
        notices.push_back(ReminderNotification(d, deliverable, owing, *slot));
        if (slot->after) {
          auto& [digest_slot, units] = overdue[slot->offset];
          digest_slot = *slot;
          units.push_back(owing);
        }
      }
      for (auto& [offset, entry] : overdue) {
        notices.push_back(OverdueDigest(d, deliverable, entry.first, entry.second));
      }
      if (notices.empty()) {
        continue;
      }
      int added = 0;
      int digests = 0;
      NTM_RETURN_IF_ERROR(repo_->InTransaction([&](NotificationTx& tx) -> absl::Status {
        added = 0;
        digests = 0;
        for (const Notification& n : notices) {
          if (tx.AddNotification(n, now).has_value()) {
            ++(absl::StartsWith(n.dedupe_key, "overdue-digest/") ? digests : added);
          }
        }
        return absl::OkStatus();
      }));
      if (added + digests > 0) {
        log::Info("reminders added", {{"directive", d.name},
                                      {"deliverable", deliverable},
                                      {"reminders", absl::StrCat(added)},
                                      {"digests", absl::StrCat(digests)}});
      }
      run.added += added;
      run.digests += digests;
    }
  }
  if (run.added + run.digests > 0 && on_added_) {
    on_added_();
  }
  return run;
}

absl::StatusOr<NotificationPage> NotificationsApp::List(const std::string& inbox, bool unread_only,
                                                        std::optional<Kind> kind, int64_t before_id,
                                                        int limit) {
  return repo_->ListNotifications(inbox, unread_only, kind, before_id, limit);
}

absl::StatusOr<std::pair<int, int>> NotificationsApp::MarkRead(const std::string& inbox,
                                                               const std::vector<int64_t>& ids,
                                                               int64_t up_to) {
  if (ids.empty() && up_to <= 0) {
    return absl::InvalidArgumentError("names: give the notifications to mark, or up_to");
  }
  return repo_->MarkRead(inbox, ids, up_to, clock_->Now());
}

absl::StatusOr<Subscription> NotificationsApp::Subscribe(const Caller& caller, Subscription s) {
  if (s.address.size() > kMaxAddress) {
    return absl::InvalidArgumentError(
        absl::StrCat("subscription.address: at most ", kMaxAddress, " characters"));
  }
  bool made_secret = false;
  switch (s.channel) {
    case Channel::kEmail:
      if (!IsEmailAddress(s.address)) {
        return absl::InvalidArgumentError(absl::StrCat("subscription.address: '", s.address,
                                                       "' is not an e-mail address like "
                                                       "\"vanphong@tamduong.laichau.gov.vn\""));
      }
      if (!s.secret.empty()) {
        return absl::InvalidArgumentError("subscription.secret: only webhooks take a secret");
      }
      break;
    case Channel::kWebhook:
      if (!IsWebhookUrl(s.address)) {
        return absl::InvalidArgumentError(absl::StrCat("subscription.address: '", s.address,
                                                       "' is not an http:// or https:// URL"));
      }
      if (s.secret.empty()) {
        s.secret = MakeWebhookSecret(RandomBytes(32));
        made_secret = true;
      } else if (absl::Status k = WebhookKey(s.secret).status(); !k.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("subscription.", k.message()));
      }
      break;
    default:
      return absl::InvalidArgumentError(
          "subscription.channel: CHANNEL_EMAIL or CHANNEL_WEBHOOK (the in-app inbox needs no "
          "subscription)");
  }
  s.created_by = caller.principal;
  NTM_ASSIGN_OR_RETURN(Subscription stored, repo_->CreateSubscription(s, clock_->Now()));
  log::Info("subscription created", {{"inbox", stored.inbox},
                                     {"channel", ChannelName(stored.channel)},
                                     {"address", stored.address},
                                     {"secret", made_secret ? "generated" : "given"},
                                     {"by", caller.principal}});
  return stored;
}

absl::StatusOr<std::vector<Subscription>> NotificationsApp::Subscriptions(
    const std::string& inbox) {
  return repo_->ListSubscriptions(inbox);
}

absl::Status NotificationsApp::Unsubscribe(const std::string& inbox, int64_t id) {
  NTM_RETURN_IF_ERROR(repo_->DeleteSubscription(inbox, id));
  log::Info("subscription deleted", {{"subscription", absl::StrCat(inbox, "/subscriptions/", id)}});
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Notification>> NotificationsApp::Urge(const Caller& caller,
                                                                 const UrgeRequest& req) {
  if (req.unit_codes.empty()) {
    return absl::InvalidArgumentError("units: name at least one commune");
  }
  if (req.indicator_codes.empty()) {
    return absl::InvalidArgumentError("indicator_codes: name at least one indicator");
  }
  if (Chars(req.message) == 0 || Chars(req.message) > kMaxMessage ||
      absl::StripAsciiWhitespace(req.message).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("message: 1 to ", kMaxMessage, " characters, not only spaces"));
  }
  if (req.request_id.empty() || req.request_id.size() > 64) {
    return absl::InvalidArgumentError("request_id: 1 to 64 characters, unique per urging");
  }
  if (caller.agency.empty()) {
    return absl::InvalidArgumentError(
        "x-ntm-agency: an urging comes from a steering-committee agency");
  }
  NTM_ASSIGN_OR_RETURN(std::vector<assessment::client::UnitInfo> communes,
                       directory_->ListCommunes(caller, req.district_code));
  std::map<std::string, std::string> names;
  for (const auto& c : communes) {
    names[c.code] = c.display_name;
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < req.unit_codes.size(); ++i) {
    if (!names.contains(req.unit_codes[i])) {
      return absl::InvalidArgumentError(absl::StrCat("units[", i, "]: units/", req.unit_codes[i],
                                                     " is not a commune of units/",
                                                     req.district_code));
    }
    if (!seen.insert(req.unit_codes[i]).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("units[", i, "]: units/", req.unit_codes[i], " is named twice"));
    }
  }
  const absl::Time now = clock_->Now();
  std::vector<Notification> out;
  NTM_RETURN_IF_ERROR(repo_->InTransaction([&](NotificationTx& tx) -> absl::Status {
    out.clear();
    for (const std::string& code : req.unit_codes) {
      Notification n;
      n.inbox = absl::StrCat("units/", code);
      n.kind = Kind::kUrge;
      n.unit = n.inbox;
      n.directive = req.directive;
      n.indicator_codes = req.indicator_codes;
      n.sender = caller.principal;
      n.sender_agency = caller.agency;
      n.title = absl::StrCat("Đôn đốc về chỉ tiêu ", absl::StrJoin(req.indicator_codes, ", "));
      n.body = absl::StrCat(req.message, "\n\n(", caller.agency, ", gửi ", names[code], ")");
      n.dedupe_key = absl::StrCat("urge/", caller.agency, "/", req.request_id, "/", code);
      if (const std::optional<int64_t> id = tx.AddNotification(n, now); id.has_value()) {
        n.created_at = now;
        n.id = *id;
        out.push_back(std::move(n));
      } else if (std::optional<Notification> sent = tx.FindByDedupeKey(n.dedupe_key);
                 sent.has_value()) {
        out.push_back(std::move(*sent));  // a retry: what the first call sent
      }
    }
    return absl::OkStatus();
  }));
  log::Info("urging sent", {{"agency", caller.agency},
                            {"by", caller.principal},
                            {"units", absl::StrCat(req.unit_codes.size())},
                            {"indicators", absl::StrJoin(req.indicator_codes, ",")}});
  if (on_added_) {
    on_added_();
  }
  return out;
}

absl::StatusOr<std::vector<Message>> NotificationsApp::Deliveries(const std::string& inbox,
                                                                  std::optional<MessageState> state,
                                                                  int64_t before_id, int limit) {
  return repo_->ListMessages(inbox, state, before_id, limit);
}

}  // namespace ntm::notifications
