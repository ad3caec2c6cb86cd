#include "services/notifications/storage/notification_repository.h"

#include <cppconn/exception.h>
#include <cppconn/resultset.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/db/sql.h"
#include "services/common/status.h"

namespace ntm::notifications {
namespace {

using db::GetOptTime;
using db::GetStr;
using db::GetTime;
using db::Query;

std::vector<std::string> SplitList(const std::string& text) {
  return absl::StrSplit(text, ',', absl::SkipEmpty());
}

std::string JoinKinds(const std::vector<Kind>& kinds) {
  std::vector<std::string> names;
  for (Kind k : kinds) {
    names.push_back(KindName(k));
  }
  return absl::StrJoin(names, ",");
}

constexpr char kNotificationColumns[] =
    "n.id, n.inbox, n.kind, n.title, n.body, n.directive, n.deliverable, n.subject, n.unit, "
    "n.indicator_codes, n.sender, n.sender_agency, n.deadline_local, n.dedupe_key, n.created_at, "
    "n.read_at";

// Reads the notification columns starting at `first`.
Notification ReadNotification(const sql::ResultSet& rs, int first) {
  Notification n;
  n.id = rs.getInt64(first);
  n.inbox = GetStr(rs, first + 1);
  n.kind = ParseKind(GetStr(rs, first + 2)).value_or(Kind::kReminder);
  n.title = GetStr(rs, first + 3);
  n.body = GetStr(rs, first + 4);
  n.directive = GetStr(rs, first + 5);
  n.deliverable = GetStr(rs, first + 6);
  n.subject = GetStr(rs, first + 7);
  n.unit = GetStr(rs, first + 8);
  n.indicator_codes = SplitList(GetStr(rs, first + 9));
  n.sender = GetStr(rs, first + 10);
  n.sender_agency = GetStr(rs, first + 11);
  n.deadline_local = GetStr(rs, first + 12);
  n.dedupe_key = GetStr(rs, first + 13);
  n.created_at = GetTime(rs, first + 14);
  n.read_at = GetOptTime(rs, first + 15);
  return n;
}

constexpr char kMessageColumns[] =
    "m.id, m.notification_id, m.inbox, m.channel, m.address, m.secret, m.idempotency_key, "
    "m.state, m.attempts, m.next_attempt_at, m.lease_until, m.claimed_by, m.last_attempt_at, "
    "m.sent_at, m.last_error, m.created_at";

Message ReadMessage(const sql::ResultSet& rs, int first) {
  Message m;
  m.id = rs.getInt64(first);
  m.notification_id = rs.getInt64(first + 1);
  m.inbox = GetStr(rs, first + 2);
  m.channel = ParseChannel(GetStr(rs, first + 3)).value_or(Channel::kEmail);
  m.address = GetStr(rs, first + 4);
  m.secret = GetStr(rs, first + 5);
  m.idempotency_key = GetStr(rs, first + 6);
  m.state = ParseMessageState(GetStr(rs, first + 7)).value_or(MessageState::kPending);
  m.attempts = rs.getInt(first + 8);
  m.next_attempt_at = GetTime(rs, first + 9);
  m.lease_until = GetOptTime(rs, first + 10);
  m.claimed_by = GetStr(rs, first + 11);
  m.last_attempt_at = GetOptTime(rs, first + 12);
  m.sent_at = GetOptTime(rs, first + 13);
  m.last_error = GetStr(rs, first + 14);
  m.created_at = GetTime(rs, first + 15);
  return m;
}

Subscription ReadSubscription(const sql::ResultSet& rs) {
  Subscription s;
  s.id = rs.getInt64(1);
  s.inbox = GetStr(rs, 2);
  s.channel = ParseChannel(GetStr(rs, 3)).value_or(Channel::kEmail);
  s.address = GetStr(rs, 4);
  s.secret = GetStr(rs, 5);
  for (const std::string& k : SplitList(GetStr(rs, 6))) {
    if (auto kind = ParseKind(k); kind.has_value()) {
      s.kinds.push_back(*kind);
    }
  }
  s.created_by = GetStr(rs, 7);
  s.created_at = GetTime(rs, 8);
  return s;
}

int64_t LastInsertId(sql::Connection& conn) {
  auto rs = Query(conn, "SELECT LAST_INSERT_ID()").Rows();
  rs->next();
  return rs->getInt64(1);
}

int UnreadCount(sql::Connection& conn, const std::string& inbox) {
  auto rs = Query(conn, "SELECT COUNT(*) FROM notifications WHERE inbox = ? AND read_at IS NULL")
                .Str(inbox)
                .Rows();
  rs->next();
  return rs->getInt(1);
}

// The messages are the only state shared by workers: every change of one after its claim names
// the worker that holds it.
bool UpdateClaimed(sql::Connection& conn, const std::string& set, int64_t id,
                   const std::string& worker, absl::FunctionRef<void(Query&)> bind_set) {
  Query q(conn, absl::StrCat("UPDATE messages SET ", set,
                             ", lease_until = NULL WHERE id = ? AND claimed_by = ? AND state = "
                             "'sending'"));
  bind_set(q);
  q.Int(id).Str(worker);
  return q.Exec() == 1;
}

// INSERT IGNORE skips a duplicate key (what it is used for here) but would also let a value that
// does not fit its column be cut short with only a warning: a row that went in with a warning is
// an error, and the transaction is rolled back.
void FailOnWarnings(sql::Connection& conn, const char* table) {
  auto rs = Query(conn, "SELECT @@warning_count").Rows();
  if (rs->next() && rs->getInt64(1) > 0) {
    throw sql::SQLException(
        absl::StrCat("a row for ", table, " did not fit its columns and was refused"), "22001",
        1406);
  }
}

}  // namespace

bool NotificationTx::InsertEvent(const IncomingEvent& e, absl::Time now) {
  const uint64_t inserted =
      Query(conn_,
            "INSERT IGNORE INTO events (event_id, event_type, subject, source, payload, "
            "created_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
          .Str(e.event_id)
          .Str(e.type)
          .Str(e.subject)
          .Str(e.source)
          .Str(e.payload_json)
          .Time(e.created_at)
          .Time(now)
          .Exec();
  if (inserted != 1) {
    return false;  // accepted before
  }
  FailOnWarnings(conn_, "events");
  return true;
}

void NotificationTx::UpsertDirective(const DirectiveInfo& d) {
  Query(conn_,
        "INSERT INTO directives (id, name, issuing_unit_code, year, title, deliverables, deadline, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name), "
        "issuing_unit_code = VALUES(issuing_unit_code), year = VALUES(year), title = "
        "VALUES(title), deliverables = VALUES(deliverables), deadline = VALUES(deadline)")
      .Str(d.id)
      .Str(d.name)
      .Str(d.issuing_unit_code)
      .Int(d.year)
      .Str(d.title)
      .Str(absl::StrJoin(d.deliverables, ","))
      .Time(d.deadline)
      .Time(d.created_at)
      .Exec();
}

std::optional<DirectiveInfo> NotificationTx::GetDirective(const std::string& id) {
  auto rs = Query(conn_,
                  "SELECT id, name, issuing_unit_code, year, title, deliverables, deadline, "
                  "created_at FROM directives WHERE id = ?")
                .Str(id)
                .Rows();
  if (!rs->next()) {
    return std::nullopt;
  }
  DirectiveInfo d;
  d.id = GetStr(*rs, 1);
  d.name = GetStr(*rs, 2);
  d.issuing_unit_code = GetStr(*rs, 3);
  d.year = rs->getInt(4);
  d.title = GetStr(*rs, 5);
  d.deliverables = SplitList(GetStr(*rs, 6));
  d.deadline = GetTime(*rs, 7);
  d.created_at = GetTime(*rs, 8);
  return d;
}

std::optional<int64_t> NotificationTx::AddNotification(const Notification& n, absl::Time now) {
  const uint64_t added =
      Query(conn_,
            "INSERT IGNORE INTO notifications (inbox, kind, title, body, directive, deliverable, "
            "subject, unit, indicator_codes, sender, sender_agency, deadline_local, dedupe_key, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .Str(n.inbox)
          .Str(KindName(n.kind))
          .Str(n.title)
          .Str(n.body)
          .Str(n.directive)
          .Str(n.deliverable)
          .Str(n.subject)
          .Str(n.unit)
          .Str(absl::StrJoin(n.indicator_codes, ","))
          .Str(n.sender)
          .Str(n.sender_agency)
          .Str(n.deadline_local)
          .Str(n.dedupe_key)
          .Time(now)
          .Exec();
  if (added != 1) {
    return std::nullopt;
  }
  FailOnWarnings(conn_, "notifications");
  const int64_t id = LastInsertId(conn_);
  auto rs = Query(conn_,
                  "SELECT id, inbox, channel, address, secret, kinds, created_by, created_at FROM "
                  "subscriptions WHERE inbox = ? ORDER BY id")
                .Str(n.inbox)
                .Rows();
  std::vector<Subscription> subscriptions;
  while (rs->next()) {
    subscriptions.push_back(ReadSubscription(*rs));
  }
  for (const Subscription& s : subscriptions) {
    if (!s.kinds.empty() && std::find(s.kinds.begin(), s.kinds.end(), n.kind) == s.kinds.end()) {
      continue;
    }
    const uint64_t queued =
        Query(conn_,
              "INSERT IGNORE INTO messages (notification_id, inbox, channel, address, secret, "
              "idempotency_key, state, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, "
              "'pending', ?, ?)")
            .Int(id)
            .Str(n.inbox)
            .Str(ChannelName(s.channel))
            .Str(s.address)
            .Str(s.secret)
            .Str(absl::StrCat(n.dedupe_key, "/", ChannelName(s.channel), "/", s.id))
            .Time(now)
            .Time(now)
            .Exec();
    if (queued == 1) {
      FailOnWarnings(conn_, "messages");
    }
  }
  return id;
}

std::optional<Notification> NotificationTx::FindByDedupeKey(const std::string& key) {
  auto rs = Query(conn_, absl::StrCat("SELECT ", kNotificationColumns,
                                      " FROM notifications n WHERE n.dedupe_key = ?"))
                .Str(key)
                .Rows();
  if (!rs->next()) {
    return std::nullopt;
  }
  return ReadNotification(*rs, 1);
}

absl::Status NotificationRepository::InTransaction(
    absl::FunctionRef<absl::Status(NotificationTx&)> fn) {
  return pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    NotificationTx tx(conn);
    return fn(tx);
  });
}

absl::StatusOr<std::vector<DirectiveInfo>> NotificationRepository::DirectivesAfter(
    absl::Time since) {
  std::vector<DirectiveInfo> out;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    out.clear();
    auto rs = Query(conn, "SELECT id FROM directives WHERE deadline > ? ORDER BY deadline, id")
                  .Time(since)
                  .Rows();
    std::vector<std::string> ids;
    while (rs->next()) {
      ids.push_back(GetStr(*rs, 1));
    }
    NotificationTx tx(conn);
    for (const std::string& id : ids) {
      if (auto d = tx.GetDirective(id); d.has_value()) {
        out.push_back(std::move(*d));
      }
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<NotificationPage> NotificationRepository::ListNotifications(const std::string& inbox,
                                                                           bool unread_only,
                                                                           std::optional<Kind> kind,
                                                                           int64_t before_id,
                                                                           int limit) {
  NotificationPage page;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    page = NotificationPage();
    std::string where = "n.inbox = ?";
    if (unread_only) {
      where += " AND n.read_at IS NULL";
    }
    if (kind.has_value()) {
      where += " AND n.kind = ?";
    }
    if (before_id > 0) {
      where += " AND n.id < ?";
    }
    Query q(conn, absl::StrCat("SELECT ", kNotificationColumns, " FROM notifications n WHERE ",
                               where, " ORDER BY n.id DESC LIMIT ?"));
    q.Str(inbox);
    if (kind.has_value()) {
      q.Str(KindName(*kind));
    }
    if (before_id > 0) {
      q.Int(before_id);
    }
    q.Int(limit);
    auto rs = q.Rows();
    while (rs->next()) {
      page.notifications.push_back(ReadNotification(*rs, 1));
    }
    page.unread = UnreadCount(conn, inbox);
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<std::vector<Notification>> NotificationRepository::NotificationsAfter(
    const std::string& inbox, int64_t after_id, int limit) {
  std::vector<Notification> out;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    out.clear();
    auto rs = Query(conn, absl::StrCat("SELECT ", kNotificationColumns,
                                       " FROM notifications n WHERE n.inbox = ? AND n.id > ? "
                                       "ORDER BY n.id LIMIT ?"))
                  .Str(inbox)
                  .Int(after_id)
                  .Int(limit)
                  .Rows();
    while (rs->next()) {
      out.push_back(ReadNotification(*rs, 1));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int64_t> NotificationRepository::LastNotificationId(const std::string& inbox) {
  int64_t last = 0;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    auto rs = Query(conn, "SELECT COALESCE(MAX(id), 0) FROM notifications WHERE inbox = ?")
                  .Str(inbox)
                  .Rows();
    rs->next();
    last = rs->getInt64(1);
    return absl::OkStatus();
  }));
  return last;
}

absl::StatusOr<std::pair<int, int>> NotificationRepository::MarkRead(
    const std::string& inbox, const std::vector<int64_t>& ids, int64_t up_to_id, absl::Time now) {
  std::pair<int, int> out;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    int marked = 0;
    for (int64_t id : ids) {
      auto rs = Query(conn,
                      "SELECT read_at IS NULL FROM notifications WHERE id = ? AND inbox = ? "
                      "FOR UPDATE")
                    .Int(id)
                    .Str(inbox)
                    .Rows();
      if (!rs->next()) {
        return absl::NotFoundError(
            absl::StrCat("names: ", inbox, "/notifications/", id, " not found"));
      }
      if (rs->getBoolean(1)) {
        marked += static_cast<int>(
            Query(conn, "UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL")
                .Time(now)
                .Int(id)
                .Exec());
      }
    }
    if (up_to_id > 0) {
      auto rs = Query(conn, "SELECT 1 FROM notifications WHERE id = ? AND inbox = ?")
                    .Int(up_to_id)
                    .Str(inbox)
                    .Rows();
      if (!rs->next()) {
        return absl::NotFoundError(
            absl::StrCat("up_to: ", inbox, "/notifications/", up_to_id, " not found"));
      }
      auto count = Query(conn,
                         "SELECT COUNT(*) FROM notifications WHERE inbox = ? AND id <= ? AND "
                         "read_at IS NULL")
                       .Str(inbox)
                       .Int(up_to_id)
                       .Rows();
      count->next();
      marked += count->getInt(1);
      Query(conn,
            "UPDATE notifications SET read_at = ? WHERE inbox = ? AND id <= ? AND read_at IS NULL")
          .Time(now)
          .Str(inbox)
          .Int(up_to_id)
          .Exec();
    }
    out = {marked, UnreadCount(conn, inbox)};
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Subscription> NotificationRepository::CreateSubscription(const Subscription& s,
                                                                        absl::Time now) {
  Subscription stored = s;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    auto rs =
        Query(conn, "SELECT id FROM subscriptions WHERE inbox = ? AND channel = ? AND address = ?")
            .Str(s.inbox)
            .Str(ChannelName(s.channel))
            .Str(s.address)
            .Rows();
    if (rs->next()) {
      return absl::AlreadyExistsError(
          absl::StrCat("subscription.address: ", s.inbox, " already has ", ChannelName(s.channel),
                       " ", s.address, " (", s.inbox, "/subscriptions/", rs->getInt64(1), ")"));
    }
    Query(conn,
          "INSERT INTO subscriptions (inbox, channel, address, secret, kinds, created_by, "
          "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .Str(s.inbox)
        .Str(ChannelName(s.channel))
        .Str(s.address)
        .Str(s.secret)
        .Str(JoinKinds(s.kinds))
        .Str(s.created_by)
        .Time(now)
        .Exec();
    stored.id = LastInsertId(conn);
    stored.created_at = now;
    return absl::OkStatus();
  }));
  return stored;
}

absl::StatusOr<std::vector<Subscription>> NotificationRepository::ListSubscriptions(
    const std::string& inbox) {
  std::vector<Subscription> out;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    out.clear();
    auto rs = Query(conn,
                    "SELECT id, inbox, channel, address, secret, kinds, created_by, created_at "
                    "FROM subscriptions WHERE inbox = ? ORDER BY id")
                  .Str(inbox)
                  .Rows();
    while (rs->next()) {
      out.push_back(ReadSubscription(*rs));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::Status NotificationRepository::DeleteSubscription(const std::string& inbox, int64_t id) {
  return pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    if (Query(conn, "DELETE FROM subscriptions WHERE inbox = ? AND id = ?")
            .Str(inbox)
            .Int(id)
            .Exec() != 1) {
      return absl::NotFoundError(
          absl::StrCat("name: ", inbox, "/subscriptions/", id, " not found"));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Message>> NotificationRepository::ListMessages(
    const std::string& inbox, std::optional<MessageState> state, int64_t before_id, int limit) {
  std::vector<Message> out;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    out.clear();
    std::string where = "m.inbox = ?";
    if (state.has_value()) {
      where += " AND m.state = ?";
    }
    if (before_id > 0) {
      where += " AND m.id < ?";
    }
    Query q(conn, absl::StrCat("SELECT ", kMessageColumns, " FROM messages m WHERE ", where,
                               " ORDER BY m.id DESC LIMIT ?"));
    q.Str(inbox);
    if (state.has_value()) {
      q.Str(MessageStateName(*state));
    }
    if (before_id > 0) {
      q.Int(before_id);
    }
    q.Int(limit);
    auto rs = q.Rows();
    while (rs->next()) {
      out.push_back(ReadMessage(*rs, 1));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<ClaimedMessage>> NotificationRepository::ClaimDue(
    const std::string& worker, absl::Time now, absl::Duration lease, int limit, int max_attempts) {
  std::vector<ClaimedMessage> out;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    out.clear();
    // Locked without waiting for rows another worker holds; the notifications they carry are
    // read afterwards, unlocked.
    auto rs = Query(conn, absl::StrCat("SELECT ", kMessageColumns,
                                       " FROM messages m WHERE (m.state = 'pending' AND "
                                       "m.next_attempt_at <= ?) OR (m.state = 'sending' AND "
                                       "m.lease_until <= ?) ORDER BY m.next_attempt_at, m.id "
                                       "LIMIT ? FOR UPDATE SKIP LOCKED"))
                  .Time(now)
                  .Time(now)
                  .Int(limit)
                  .Rows();
    std::vector<ClaimedMessage> rows;
    while (rs->next()) {
      ClaimedMessage c;
      c.message = ReadMessage(*rs, 1);
      rows.push_back(std::move(c));
    }
    for (ClaimedMessage& c : rows) {
      auto n = Query(conn, absl::StrCat("SELECT ", kNotificationColumns,
                                        " FROM notifications n WHERE n.id = ?"))
                   .Int(c.message.notification_id)
                   .Rows();
      if (n->next()) {
        c.notification = ReadNotification(*n, 1);
      }
    }
    for (ClaimedMessage& c : rows) {
      if (c.message.state == MessageState::kSending && c.message.attempts >= max_attempts) {
        Query(conn,
              "UPDATE messages SET state = 'failed', lease_until = NULL, last_error = ? WHERE "
              "id = ?")
            .Str(absl::StrCat("no outcome was recorded for attempt ", c.message.attempts, " of ",
                              max_attempts, " (its sender stopped); not retried"))
            .Int(c.message.id)
            .Exec();
        continue;
      }
      Query(conn,
            "UPDATE messages SET state = 'sending', attempts = attempts + 1, lease_until = ?, "
            "claimed_by = ?, last_attempt_at = ? WHERE id = ?")
          .Time(now + lease)
          .Str(worker)
          .Time(now)
          .Int(c.message.id)
          .Exec();
      c.message.state = MessageState::kSending;
      c.message.attempts += 1;
      c.message.lease_until = now + lease;
      c.message.claimed_by = worker;
      c.message.last_attempt_at = now;
      out.push_back(std::move(c));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<bool> NotificationRepository::MarkSent(int64_t id, const std::string& worker,
                                                      absl::Time now) {
  bool changed = false;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    changed = UpdateClaimed(conn, "state = 'sent', sent_at = ?, last_error = ''", id, worker,
                            [&](Query& q) { q.Time(now); });
    return absl::OkStatus();
  }));
  return changed;
}

absl::StatusOr<bool> NotificationRepository::MarkRetry(int64_t id, const std::string& worker,
                                                       absl::Time next_attempt,
                                                       const std::string& error) {
  bool changed = false;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    changed =
        UpdateClaimed(conn, "state = 'pending', next_attempt_at = ?, last_error = ?", id, worker,
                      [&](Query& q) { q.Time(next_attempt).Str(error.substr(0, 1000)); });
    return absl::OkStatus();
  }));
  return changed;
}

absl::StatusOr<bool> NotificationRepository::MarkFailed(int64_t id, const std::string& worker,
                                                        const std::string& error) {
  bool changed = false;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    changed = UpdateClaimed(conn, "state = 'failed', last_error = ?", id, worker,
                            [&](Query& q) { q.Str(error.substr(0, 1000)); });
    return absl::OkStatus();
  }));
  return changed;
}

absl::StatusOr<bool> NotificationRepository::MarkCancelled(int64_t id, const std::string& worker,
                                                           const std::string& why) {
  bool changed = false;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    changed = UpdateClaimed(conn, "state = 'cancelled', last_error = ?", id, worker,
                            [&](Query& q) { q.Str(why.substr(0, 1000)); });
    return absl::OkStatus();
  }));
  return changed;
}

}  // namespace ntm::notifications
