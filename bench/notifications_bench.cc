// ntm-notifications-bench: what the notifications service's reminder passes and its delivery
// worker cost, each against a baseline measured in the same run.
//
//   NTM_DB_PASSWORD=… ntm-notifications-bench --db_host=127.0.0.1 --db_port=3306
//       --db_user=ntm --db_name=ntm_bench_notifications [--communes=10000] [--directives=1]
//       [--messages=2000] [--threads=1,2,4]
//
// The schema --db_name is dropped, created and migrated with the service's own migrations, then
// used by the service's own code (NotificationsApp, DeliveryWorker, NotificationRepository), in
// this process, with a ManualClock. Prints one line per measurement on stdout; the service's log
// goes to stderr. A failed step prints what failed and exits with status 1.
//
// Reminders. --directives directive.created events (default one), shaped as the plans service's
// outbox writes them (deadline 2024-02-10T23:59:59+07:00, deliverable "plan"), each from its own
// district and addressed to its share of --communes synthetic communes, are ingested through
// NotificationsApp::Ingest (timed: ingest_directives). Who owes what comes from an ObligationSource
// in this program (a fixed list: every commune owes its plan, no extension); it stands for the
// plans service, which is not what is measured. The calendar is weekends and Tết 2024 (08–14/02),
// the policy the service's default (7, 3, 1 and 0 days before, then every 3 days from the day
// after, at 08:00).
//   reminders_first   RunReminders at Friday 2024-02-02 08:30 +07:00: the "7 days before" slot
//                     is due for every commune; one reminder each is computed and stored.
//   reminders_steady  RunReminders again at the same instant (median of --repeats): nothing new,
//                     the cost of a periodic pass over every commune.
//   reminders_overdue RunReminders at Thursday 2024-02-15 08:30 +07:00, the first working day
//                     after Tết: an overdue notice per commune and a digest per district.
// Baseline: the same computation without the database (ReminderSlots, LatestDue,
// ReminderNotification, and OverdueDigest after the deadline, for every commune), median of
// --repeats. Ratio: wall time of the pass / wall time of the baseline at the same instant.
// Each pass must add exactly what is expected, or the program fails. After the table, a "note:"
// line says when the database kept less of a directive's event payload or of a district's digest
// than was given (the columns hold 16 MiB; the repository refuses a row it would cut short).
//
// Delivery. For each thread count of --threads, a fresh district inbox gets a webhook
// subscription (NotificationsApp::Subscribe) to a local HTTP sink (libmicrohttpd, a thread per
// connection, answering 200), and --messages plan.submit events are ingested for it, queueing
// one message each. After a warm-up of 50 posts to the sink (not counted):
//   delivery_baseline WebhookSender posts the same notifications, signed with the same secret,
//                     to the same sink from as many threads: no database.
//   delivery_worker   DeliveryWorker with as many threads claims (SKIP LOCKED, --batch at a
//                     time), sends and records every message, until all are sent.
// Per message: the time a sending thread takes from the end of one post to the end of the next
// (for the worker this includes recording the previous outcome and, once per batch, the claim).
// Ratio: messages/s of the worker / messages/s of the baseline.
//
// db_stmts is the rise of the server's Questions counter over the measurement, per item: every
// client of the server counts, so nothing else should use it meanwhile.
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/caller.h"
#include "services/common/clock.h"
#include "services/common/db/migrations.h"
#include "services/common/db/outbox.h"
#include "services/common/db/pool.h"
#include "services/common/db/sql.h"
#include "services/common/flags.h"
#include "services/common/log.h"
#include "services/notifications/app/delivery_worker.h"
#include "services/notifications/app/notifications_app.h"
#include "services/notifications/app/obligations.h"
#include "services/notifications/delivery/senders.h"
#include "services/notifications/domain/delivery_rules.h"
#include "services/notifications/domain/schedule.h"
#include "services/notifications/domain/texts.h"
#include "services/notifications/storage/notification_repository.h"
#include "services/notifications/tests/sinks.h"

namespace {

using ntm::notifications::Channel;
using ntm::notifications::DirectiveInfo;
using ntm::notifications::IncomingEvent;
using ntm::notifications::Message;
using ntm::notifications::Notification;
using ntm::notifications::UnitStanding;

constexpr char kProgram[] = "ntm-notifications-bench";
constexpr char kDeadline[] = "2024-02-10T23:59:59+07:00";
constexpr char kIssuedAt[] = "2024-01-20T09:00:00+07:00";
constexpr char kBeforeDeadline[] = "2024-02-02T08:30:00+07:00";
constexpr char kAfterDeadline[] = "2024-02-15T08:30:00+07:00";
constexpr char kDeliveryAt[] = "2024-02-05T10:00:00+07:00";
constexpr char kCalendar[] =
    R"({"holidays": [{"from": "2024-02-08", "to": "2024-02-14", "name": "Tết Giáp Thìn"}]})";
// NotificationsApp::Ingest takes at most this many events at once.
constexpr int kIngestBatch = 500;

struct Options {
  ntm::db::DbOptions db;
  int communes = 10000;
  int directives = 1;
  int messages = 2000;
  std::string threads = "1,2,4";
  int batch = 20;
  int repeats = 3;
  std::string log_level = "info";
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "%s: %s\n", kProgram, what.c_str());
  std::exit(1);
}

void Check(const absl::Status& s, const std::string& step) {
  if (!s.ok()) {
    Die(absl::StrCat(step, ": ", s.ToString()));
  }
}

template <typename T>
T Check(absl::StatusOr<T> v, const std::string& step) {
  Check(v.status(), step);
  return *std::move(v);
}

absl::Time At(const char* rfc3339) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error)) {
    Die(absl::StrCat("bad time ", rfc3339, ": ", error));
  }
  return t;
}

double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Nearest-rank percentile of `sorted` (milliseconds).
double PercentileMs(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) {
    return 0;
  }
  size_t rank = static_cast<size_t>(p * static_cast<double>(sorted.size()) + 0.999999);
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

// The server's Questions counter: statements received from every client so far.
int64_t Questions(ntm::db::ConnectionPool& pool) {
  int64_t n = -1;
  Check(pool.WithConnection([&](sql::Connection& conn) -> absl::Status {
    auto rs = ntm::db::Query(conn, "SHOW GLOBAL STATUS LIKE 'Questions'").Rows();
    if (!rs->next() || !absl::SimpleAtoi(ntm::db::GetStr(*rs, 2), &n)) {
      return absl::InternalError("SHOW GLOBAL STATUS LIKE 'Questions' gave no number");
    }
    return absl::OkStatus();
  }),
        "reading the Questions counter");
  return n;
}

// The first column of the first row of `statement` with string parameters `params`, as a number
// (0 for no row or NULL).
int64_t QueryInt(ntm::db::ConnectionPool& pool, const std::string& statement,
                 const std::vector<std::string>& params = {}) {
  int64_t n = 0;
  Check(pool.WithConnection([&](sql::Connection& conn) -> absl::Status {
    ntm::db::Query q(conn, statement);
    for (const std::string& p : params) {
      q.Str(p);
    }
    auto rs = q.Rows();
    if (rs->next() && !rs->isNull(1)) {
      n = rs->getInt64(1);
    }
    return absl::OkStatus();
  }),
        statement);
  return n;
}

int64_t CountMessages(ntm::db::ConnectionPool& pool, const std::string& inbox,
                      const std::string& state) {
  return QueryInt(pool, "SELECT COUNT(*) FROM messages WHERE inbox = ? AND state = ?",
                  {inbox, state});
}

// Drops and creates the schema, then applies the service's migrations.
void FreshSchema(const ntm::db::DbOptions& options) {
  {
    auto pool = Check(ntm::db::ConnectionPool::Create(options), "connecting to the database");
    Check(pool->WithConnection([&](sql::Connection& conn) -> absl::Status {
      std::unique_ptr<sql::Statement> st(conn.createStatement());
      st->execute(absl::StrCat("DROP DATABASE IF EXISTS `", options.schema, "`"));
      return absl::OkStatus();
    }),
          absl::StrCat("dropping schema ", options.schema));
  }
  auto pool = Check(ntm::db::ConnectionPool::Create(options),
                    absl::StrCat("creating schema ", options.schema));
  Check(ntm::db::ApplyMigrations(*pool, ntm::db::NotificationsMigrations()), "migrations");
}

// Who owes what: a fixed list per directive (by name), standing for the plans service.
class FixedObligations final : public ntm::notifications::ObligationSource {
 public:
  void Set(const std::string& directive_name, std::vector<UnitStanding> units) {
    by_directive_[directive_name] = std::move(units);
  }
  const std::vector<UnitStanding>& Of(const std::string& directive_name) const {
    static const std::vector<UnitStanding> kNone;
    const auto it = by_directive_.find(directive_name);
    return it == by_directive_.end() ? kNone : it->second;
  }
  absl::StatusOr<std::vector<UnitStanding>> Standing(const DirectiveInfo& directive,
                                                     const std::string& deliverable) override {
    return Of(directive.name);
  }

 private:
  // Filled before any pass or worker runs; read-only afterwards.
  std::map<std::string, std::vector<UnitStanding>> by_directive_;
};

// Passes sends on to a sender and records, per sending thread, the time from the end of its
// previous send (or the start of the round) to the end of this one.
class TimedSender final : public ntm::notifications::ChannelSender {
 public:
  explicit TimedSender(ChannelSender* inner) : inner_(inner) {}

  void StartRound() {
    absl::MutexLock lock(&mu_);
    ++round_;
    round_start_ = absl::Now();
    intervals_ms_.clear();
    failures_ = 0;
    first_error_.clear();
  }

  ntm::notifications::SendOutcome Send(const Message& message, const Notification& notification,
                                       absl::Time now) override {
    ntm::notifications::SendOutcome outcome = inner_->Send(message, notification, now);
    const absl::Time end = absl::Now();
    thread_local int seen_round = -1;
    thread_local absl::Time last;
    absl::MutexLock lock(&mu_);
    if (seen_round != round_) {
      seen_round = round_;
      last = round_start_;
    }
    intervals_ms_.push_back(absl::ToDoubleMilliseconds(end - last));
    last = end;
    if (!outcome.ok) {
      if (failures_++ == 0) {
        first_error_ = outcome.error;
      }
    }
    return outcome;
  }

  // Sorted intervals of the round, in milliseconds.
  std::vector<double> Intervals() const {
    absl::MutexLock lock(&mu_);
    std::vector<double> v = intervals_ms_;
    std::sort(v.begin(), v.end());
    return v;
  }
  int failures() const {
    absl::MutexLock lock(&mu_);
    return failures_;
  }
  std::string first_error() const {
    absl::MutexLock lock(&mu_);
    return first_error_;
  }

 private:
  ChannelSender* inner_;
  mutable absl::Mutex mu_;
  int round_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time round_start_ ABSL_GUARDED_BY(mu_);
  std::vector<double> intervals_ms_ ABSL_GUARDED_BY(mu_);
  int failures_ ABSL_GUARDED_BY(mu_) = 0;
  std::string first_error_ ABSL_GUARDED_BY(mu_);
};

// One line of the table.
struct Line {
  std::string name;
  int threads = 1;
  int64_t items = 0;
  double seconds = 0;
  std::optional<double> p50_ms;
  std::optional<double> p99_ms;
  std::optional<double> db_stmts;
  std::optional<double> ratio;
  std::string ratio_of;
};

void PrintHeader() {
  std::printf("%-18s %7s %7s %9s %10s %8s %8s %9s %8s  %s\n", "measurement", "threads", "items",
              "wall_s", "items/s", "p50_ms", "p99_ms", "db_stmts", "ratio", "ratio_of");
}

void Print(const Line& l) {
  const auto opt = [](const std::optional<double>& v, const char* format) {
    return v.has_value() ? absl::StrFormat(format, *v) : std::string("-");
  };
  std::printf("%-18s %7d %7lld %9.3f %10.1f %8s %8s %9s %8s  %s\n", l.name.c_str(), l.threads,
              static_cast<long long>(l.items), l.seconds,
              l.seconds > 0 ? static_cast<double>(l.items) / l.seconds : 0.0,
              opt(l.p50_ms, "%.3f").c_str(), opt(l.p99_ms, "%.3f").c_str(),
              opt(l.db_stmts, "%.1f").c_str(), opt(l.ratio, "%.3f").c_str(),
              l.ratio_of.empty() ? "-" : l.ratio_of.c_str());
  std::fflush(stdout);
}

IncomingEvent DirectiveCreated(const std::string& id, const std::string& district,
                               const std::vector<std::string>& communes, absl::Time deadline,
                               absl::Time at) {
  std::vector<std::string> units;
  units.reserve(communes.size());
  for (const std::string& c : communes) {
    units.push_back(ntm::db::JsonString(absl::StrCat("units/", c)));
  }
  IncomingEvent e;
  e.subject = absl::StrCat("directives/", id);
  e.event_id = absl::StrCat(e.subject, "/directive.created/1");
  e.type = "directive.created";
  e.source = "plans";
  e.created_at = at;
  e.payload_json = absl::StrCat(
      "{\"directive\":", ntm::db::JsonString(id),
      ",\"name\":", ntm::db::JsonString(absl::StrCat("units/", district, "/directives/", id)),
      ",\"year\":2024,\"title\":", ntm::db::JsonString("Kế hoạch xây dựng nông thôn mới năm 2024"),
      ",\"deadline\":",
      ntm::db::JsonString(absl::FormatTime(absl::RFC3339_full, deadline, absl::UTCTimeZone())),
      ",\"deliverables\":[\"plan\"],\"units\":[", absl::StrJoin(units, ","), "]}");
  return e;
}

IncomingEvent PlanSubmitted(const std::string& directive_id, const std::string& commune,
                            const std::string& display_name, absl::Time at) {
  const std::string plan = absl::StrCat(directive_id, ".", commune);
  IncomingEvent e;
  e.subject = absl::StrCat("plans/", plan);
  e.event_id = absl::StrCat(e.subject, "/submit/3");
  e.type = "plan.submit";
  e.source = "plans";
  e.created_at = at;
  e.payload_json = absl::StrCat("{\"plan\":", ntm::db::JsonString(plan),
                                ",\"directive\":", ntm::db::JsonString(directive_id),
                                ",\"unit\":", ntm::db::JsonString(absl::StrCat("units/", commune)),
                                ",\"unit_display_name\":", ntm::db::JsonString(display_name),
                                ",\"state\":\"submitted\",\"actor\":\"can-bo-", commune,
                                "\",\"reason\":\"\",\"late\":false}");
  return e;
}

void IngestAll(ntm::notifications::NotificationsApp& app, const std::vector<IncomingEvent>& events,
               const std::string& what) {
  for (size_t i = 0; i < events.size(); i += kIngestBatch) {
    const std::vector<IncomingEvent> batch(
        events.begin() + static_cast<std::ptrdiff_t>(i),
        events.begin() + static_cast<std::ptrdiff_t>(std::min(events.size(), i + kIngestBatch)));
    const ntm::notifications::IngestResult r = Check(app.Ingest(batch), what);
    if (r.accepted != static_cast<int>(batch.size())) {
      Die(absl::StrCat(what, ": ", r.accepted, " of ", batch.size(), " events accepted (",
                       r.duplicates, " duplicates); is the schema fresh?"));
    }
  }
}

// What the computation made.
struct Computed {
  int64_t notifications = 0;
  // Bytes of title, body and dedupe key, summed (so that nothing is optimised away).
  size_t bytes = 0;
  // The longest body of a district digest.
  size_t longest_digest = 0;
};

// The reminder computation of RunReminders for every directive, without the database.
Computed ComputeReminders(const std::vector<DirectiveInfo>& directives,
                          const FixedObligations& obligations,
                          const ntm::notifications::ReminderPolicy& policy,
                          const ntm::notifications::WorkCalendar& calendar, absl::Time now) {
  using ntm::notifications::OwingUnit;
  using ntm::notifications::Slot;
  Computed c;
  for (const DirectiveInfo& d : directives) {
    std::vector<Notification> notices;
    std::map<std::string, std::pair<Slot, std::vector<OwingUnit>>> overdue;
    for (const UnitStanding& u : obligations.Of(d.name)) {
      if (!u.owes) {
        continue;
      }
      const std::optional<Slot> slot = ntm::notifications::LatestDue(
          ntm::notifications::ReminderSlots(u.deadline, policy, calendar), now);
      if (!slot.has_value()) {
        continue;
      }
      const OwingUnit owing{u.unit_code, u.display_name, u.deadline, u.extended};
      notices.push_back(ntm::notifications::ReminderNotification(d, "plan", owing, *slot));
      if (slot->after) {
        auto& [digest_slot, units] = overdue[slot->offset];
        digest_slot = *slot;
        units.push_back(owing);
      }
    }
    for (auto& [offset, entry] : overdue) {
      notices.push_back(ntm::notifications::OverdueDigest(d, "plan", entry.first, entry.second));
      c.longest_digest = std::max(c.longest_digest, notices.back().body.size());
    }
    for (const Notification& n : notices) {
      c.bytes += n.title.size() + n.body.size() + n.dedupe_key.size();
    }
    c.notifications += static_cast<int64_t>(notices.size());
  }
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  o.db.schema = "ntm_bench_notifications";
  ntm::Flags flags(kProgram,
                   "benchmark of the notifications service: reminder passes over many communes "
                   "and webhook delivery, each against a baseline without the database");
  o.db.Register(flags);
  flags.AddInt("communes", &o.communes, "communes that owe a plan, spread over the directives");
  flags.AddInt("directives", &o.directives,
               "directives (one district each) the communes are addressed by");
  flags.AddInt("messages", &o.messages, "webhook messages queued for each delivery round");
  flags.AddString("threads", &o.threads,
                  "comma-separated sending thread counts, one delivery round each");
  flags.AddInt("batch", &o.batch, "messages a delivery thread claims at once");
  flags.AddInt("repeats", &o.repeats, "runs of the steady pass and of each baseline (median)");
  flags.AddString("log_level", &o.log_level, "the service's log on stderr: debug, info, warn");
  if (absl::Status s = flags.Parse(argc, argv); !s.ok()) {
    std::fprintf(stderr, "%s: %s\n", kProgram, std::string(s.message()).c_str());
    return 2;
  }
  if (flags.help_requested()) {
    std::fputs(flags.Usage().c_str(), stdout);
    return 0;
  }
  std::vector<int> thread_counts;
  for (absl::string_view part : absl::StrSplit(o.threads, ',', absl::SkipWhitespace())) {
    int t = 0;
    if (!absl::SimpleAtoi(part, &t) || t < 1 || t > 64) {
      Die(absl::StrCat("--threads: '", part, "' is not a thread count 1-64"));
    }
    thread_counts.push_back(t);
  }
  if (thread_counts.empty()) {
    Die("--threads: give at least one thread count");
  }
  if (o.communes < 1 || o.communes > 50000) {
    Die("--communes: 1-50000");
  }
  if (o.directives < 1 || o.directives > o.communes || o.directives > 999) {
    Die("--directives: 1-999, and at most --communes");
  }
  if (o.messages < 1 || o.messages > 50000) {
    Die("--messages: 1-50000");
  }
  if (o.batch < 1 || o.batch > 500) {
    Die("--batch: 1-500");
  }
  if (o.repeats < 1 || o.repeats > 20) {
    Die("--repeats: 1-20");
  }
  ntm::log::SetService("notifications");
  ntm::log::SetLevel(Check(ntm::log::ParseLevel(o.log_level), "--log_level"));
  // Before any thread uses libcurl.
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    Die("curl_global_init failed");
  }

  const int max_threads = *std::max_element(thread_counts.begin(), thread_counts.end());
  o.db.pool_size = std::max(o.db.pool_size, max_threads + 3);
  FreshSchema(o.db);
  auto pool = Check(ntm::db::ConnectionPool::Create(o.db), "connecting to the database");

  const ntm::notifications::ReminderPolicy policy;
  const ntm::notifications::WorkCalendar calendar =
      Check(ntm::notifications::WorkCalendar::FromJson(kCalendar), "calendar");
  ntm::ManualClock clock(At(kIssuedAt));
  ntm::notifications::NotificationRepository repo(pool.get());
  FixedObligations obligations;
  // The directory (assessment service) serves only urgings, which are not measured.
  ntm::notifications::NotificationsApp app(&repo, &obligations, /*directory=*/nullptr, &clock,
                                           policy, calendar, nullptr);
  const absl::Time deadline = At(kDeadline);

  PrintHeader();

  // --- reminders ---------------------------------------------------------------------------
  std::vector<std::string> codes;
  for (int i = 0; i < o.communes; ++i) {
    codes.push_back(absl::StrFormat("%05d", 40000 + i));
  }
  const auto display_name = [](const std::string& code) { return absl::StrCat("Xã Mẫu ", code); };
  std::vector<IncomingEvent> created;
  std::vector<DirectiveInfo> directives;
  for (int k = 0; k < o.directives; ++k) {
    const size_t from = codes.size() * static_cast<size_t>(k) / static_cast<size_t>(o.directives);
    const size_t to = codes.size() * static_cast<size_t>(k + 1) / static_cast<size_t>(o.directives);
    const std::vector<std::string> mine(codes.begin() + static_cast<std::ptrdiff_t>(from),
                                        codes.begin() + static_cast<std::ptrdiff_t>(to));
    const std::string id = absl::StrFormat("bench-reminders-%03d", k + 1);
    const std::string district = absl::StrFormat("9%03d", k + 1);
    created.push_back(DirectiveCreated(id, district, mine, deadline, clock.Now()));
    DirectiveInfo d = Check(ntm::notifications::EffectOfEvent(created.back(), std::nullopt),
                            "reading back a directive.created event")
                          .directive.value();
    std::vector<UnitStanding> standing;
    for (const std::string& c : mine) {
      standing.push_back({c, display_name(c), deadline, /*extended=*/false, /*owes=*/true});
    }
    obligations.Set(d.name, std::move(standing));
    directives.push_back(std::move(d));
  }
  {
    const int64_t q0 = Questions(*pool);
    const absl::Time t0 = absl::Now();
    for (const IncomingEvent& e : created) {
      IngestAll(app, {e}, absl::StrCat("ingesting ", e.event_id));
    }
    const double s = Seconds(absl::Now() - t0);
    Line l{"ingest_directives", 1, o.communes, s};
    l.db_stmts = static_cast<double>(Questions(*pool) - q0 - 1) / o.communes;
    Print(l);
  }
  size_t longest_payload = 0;
  for (const IncomingEvent& e : created) {
    longest_payload = std::max(longest_payload, e.payload_json.size());
  }
  const int64_t stored_payload = QueryInt(
      *pool, "SELECT MAX(LENGTH(payload)) FROM events WHERE event_type = ?", {"directive.created"});

  // Baselines at each instant.
  const auto baseline = [&](absl::Time now, const std::string& name, int64_t expected,
                            Computed* computed) {
    std::vector<double> runs;
    for (int r = 0; r < o.repeats; ++r) {
      const absl::Time t0 = absl::Now();
      *computed = ComputeReminders(directives, obligations, policy, calendar, now);
      runs.push_back(Seconds(absl::Now() - t0));
      if (computed->notifications != expected) {
        Die(absl::StrCat(name, ": computed ", computed->notifications, " notifications, expected ",
                         expected));
      }
    }
    Line l{name, 1, o.communes, Median(runs)};
    Print(l);
    return l.seconds;
  };
  const auto pass = [&](absl::Time now, const std::string& name, int expect_added,
                        int expect_digests, double baseline_seconds, int repeats) {
    clock.Set(now);
    std::vector<double> runs;
    int64_t statements = 0;
    for (int r = 0; r < repeats; ++r) {
      const int64_t q0 = Questions(*pool);
      const absl::Time t0 = absl::Now();
      const ntm::notifications::ReminderRun run = Check(app.RunReminders(), name);
      runs.push_back(Seconds(absl::Now() - t0));
      statements += Questions(*pool) - q0 - 1;
      if (run.added != expect_added || run.digests != expect_digests || run.skipped != 0) {
        Die(absl::StrFormat(
            "%s: %d reminders, %d digests, %d directives skipped; expected %d, "
            "%d, 0",
            name, run.added, run.digests, run.skipped, expect_added, expect_digests));
      }
    }
    Line l{name, 1, o.communes, Median(runs)};
    l.db_stmts = static_cast<double>(statements) / repeats / o.communes;
    l.ratio = l.seconds / baseline_seconds;
    l.ratio_of = "time/baseline";
    Print(l);
  };
  Computed computed;
  const double before_baseline =
      baseline(At(kBeforeDeadline), "reminders_baseline", o.communes, &computed);
  pass(At(kBeforeDeadline), "reminders_first", o.communes, 0, before_baseline, 1);
  pass(At(kBeforeDeadline), "reminders_steady", 0, 0, before_baseline, o.repeats);
  const double after_baseline =
      baseline(At(kAfterDeadline), "overdue_baseline", o.communes + o.directives, &computed);
  pass(At(kAfterDeadline), "reminders_overdue", o.communes, o.directives, after_baseline, 1);
  // What the database kept of the longest texts (all of it, unless something regressed).
  std::vector<std::string> notes;
  if (static_cast<size_t>(stored_payload) < longest_payload) {
    notes.push_back(absl::StrCat("the directive.created payload has ", longest_payload, " bytes; ",
                                 stored_payload, " were stored"));
  }
  if (const int64_t stored = QueryInt(*pool,
                                      "SELECT MAX(LENGTH(body)) FROM notifications WHERE "
                                      "dedupe_key LIKE 'overdue-digest/%'");
      static_cast<size_t>(stored) < computed.longest_digest) {
    notes.push_back(absl::StrCat("the district's overdue digest has ", computed.longest_digest,
                                 " bytes; ", stored, " were stored"));
  }

  // --- delivery ------------------------------------------------------------------------------
  ntm::notifications::testing::WebhookSink sink;
  if (sink.port() == 0) {
    Die("the webhook sink did not start");
  }
  ntm::notifications::WebhookSender webhook(absl::Seconds(10));
  TimedSender timed(&webhook);
  const std::string secret =
      ntm::notifications::MakeWebhookSecret("ntm-notifications-bench-secret!!");
  clock.Set(At(kDeliveryAt));
  std::vector<std::string> submitters(codes.begin(),
                                      codes.begin() + std::min<size_t>(codes.size(), o.messages));
  while (static_cast<int>(submitters.size()) < o.messages) {
    submitters.push_back(absl::StrFormat("%05d", 40000 + static_cast<int>(submitters.size())));
  }
  for (size_t round = 0; round < thread_counts.size(); ++round) {
    const int threads = thread_counts[round];
    const std::string district = absl::StrFormat("8%03d", static_cast<int>(round) + 1);
    const std::string inbox = absl::StrCat("units/", district);
    const std::string id = absl::StrFormat("bench-delivery-%03d", static_cast<int>(round) + 1);

    ntm::notifications::Subscription s;
    s.inbox = inbox;
    s.channel = Channel::kWebhook;
    s.address = sink.Url(absl::StrCat("/hooks/", district));
    s.secret = secret;
    ntm::Caller caller;
    caller.principal = "bench";
    const ntm::notifications::Subscription subscription =
        Check(app.Subscribe(caller, s), "subscribing the webhook");

    const IncomingEvent directive_event =
        DirectiveCreated(id, district, submitters, deadline, clock.Now());
    IngestAll(app, {directive_event}, "ingesting the delivery directive");
    const std::optional<DirectiveInfo> directive =
        Check(ntm::notifications::EffectOfEvent(directive_event, std::nullopt),
              "reading back the delivery directive")
            .directive;
    std::vector<IncomingEvent> submitted;
    for (const std::string& c : submitters) {
      submitted.push_back(PlanSubmitted(id, c, display_name(c), clock.Now()));
    }
    IngestAll(app, submitted, "ingesting plan.submit events");
    if (const int64_t pending = CountMessages(*pool, inbox, "pending"); pending != o.messages) {
      Die(absl::StrCat(inbox, ": ", pending, " messages pending, expected ", o.messages));
    }

    // The baseline: the same notifications, signed and posted directly.
    std::vector<std::pair<Message, Notification>> direct;
    for (const IncomingEvent& e : submitted) {
      ntm::notifications::EventEffect effect =
          Check(ntm::notifications::EffectOfEvent(e, directive), "plan.submit effect");
      Message m;
      m.id = static_cast<int64_t>(direct.size()) + 1;
      m.inbox = inbox;
      m.channel = Channel::kWebhook;
      m.address = sink.Url(absl::StrCat("/baseline/", district));
      m.secret = subscription.secret;
      m.idempotency_key = absl::StrCat(effect.notifications.at(0).dedupe_key, "/webhook/0");
      direct.emplace_back(std::move(m), std::move(effect.notifications.at(0)));
    }
    // A warm-up, not counted: the first posts of a process pay for its first connections.
    for (size_t i = 0; i < std::min<size_t>(direct.size(), 50); ++i) {
      Message m = direct[i].first;
      m.address = sink.Url("/warm-up");
      if (const ntm::notifications::SendOutcome r = webhook.Send(m, direct[i].second, clock.Now());
          !r.ok) {
        Die(absl::StrCat("warm-up post: ", r.error));
      }
    }
    const size_t received_before = sink.received().size();
    {
      timed.StartRound();
      std::atomic<size_t> next{0};
      const absl::Time t0 = absl::Now();
      std::vector<std::thread> pool_threads;
      for (int t = 0; t < threads; ++t) {
        pool_threads.emplace_back([&] {
          for (size_t i = next++; i < direct.size(); i = next++) {
            timed.Send(direct[i].first, direct[i].second, clock.Now());
          }
        });
      }
      for (std::thread& t : pool_threads) {
        t.join();
      }
      const double seconds = Seconds(absl::Now() - t0);
      if (timed.failures() > 0) {
        Die(absl::StrCat("delivery_baseline: ", timed.failures(),
                         " posts failed, the first: ", timed.first_error()));
      }
      const std::vector<double> intervals = timed.Intervals();
      Line l{"delivery_baseline", threads, o.messages, seconds};
      l.p50_ms = PercentileMs(intervals, 0.50);
      l.p99_ms = PercentileMs(intervals, 0.99);
      Print(l);
      const double baseline_rate = o.messages / seconds;

      ntm::notifications::DeliveryOptions d;
      d.worker_id = absl::StrCat(kProgram, "/", threads);
      d.batch = o.batch;
      d.poll = absl::Milliseconds(5);
      ntm::notifications::DeliveryWorker worker(
          &repo, &obligations, &clock, {{Channel::kWebhook, &timed}}, d, [] { return 0.5; });
      timed.StartRound();
      const int64_t q0 = Questions(*pool);
      const absl::Time w0 = absl::Now();
      worker.Start(threads);
      const absl::Time give_up = w0 + absl::Minutes(10);
      while (worker.sent() + worker.failed() + worker.retried() + worker.cancelled() <
                 static_cast<uint64_t>(o.messages) &&
             absl::Now() < give_up) {
        absl::SleepFor(absl::Milliseconds(1));
      }
      worker.Stop();
      const double worker_seconds = Seconds(absl::Now() - w0);
      const int64_t statements = Questions(*pool) - q0 - 1;
      if (worker.sent() != static_cast<uint64_t>(o.messages)) {
        Die(absl::StrFormat(
            "delivery_worker: %d sent, %d failed, %d to retry, %d cancelled of %d; first "
            "error: %s",
            worker.sent(), worker.failed(), worker.retried(), worker.cancelled(), o.messages,
            timed.first_error()));
      }
      if (const int64_t sent = CountMessages(*pool, inbox, "sent"); sent != o.messages) {
        Die(absl::StrCat("delivery_worker: ", sent, " messages recorded as sent, expected ",
                         o.messages));
      }
      const std::vector<double> worker_intervals = timed.Intervals();
      Line w{"delivery_worker", threads, o.messages, worker_seconds};
      w.p50_ms = PercentileMs(worker_intervals, 0.50);
      w.p99_ms = PercentileMs(worker_intervals, 0.99);
      w.db_stmts = static_cast<double>(statements) / o.messages;
      w.ratio = (o.messages / worker_seconds) / baseline_rate;
      w.ratio_of = "rate/baseline";
      Print(w);
    }
    if (const size_t got = sink.received().size() - received_before;
        got != 2 * static_cast<size_t>(o.messages)) {
      Die(absl::StrCat("the sink received ", got, " posts, expected ", 2 * o.messages));
    }
  }
  for (const std::string& note : notes) {
    std::printf("note: %s\n", note.c_str());
  }
  curl_global_cleanup();
  return 0;
}
