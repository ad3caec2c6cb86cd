// ntm-notifications: inboxes, reminders and deliveries of the NTM cycle. Flags (or NTM_*
// environment variables) configure it; --help lists them.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "services/assessment/client/assessment_client.h"
#include "services/common/channel.h"
#include "services/common/clock.h"
#include "services/common/db/migrations.h"
#include "services/common/db/pool.h"
#include "services/common/flags.h"
#include "services/common/log.h"
#include "services/common/server.h"
#include "services/notifications/api/grpc_service.h"
#include "services/notifications/app/delivery_worker.h"
#include "services/notifications/app/notifications_app.h"
#include "services/notifications/app/obligations.h"
#include "services/notifications/delivery/senders.h"
#include "services/notifications/storage/notification_repository.h"

namespace {

struct Options {
  ntm::ServerOptions server;
  ntm::db::DbOptions db;
  std::string plans_backend = "127.0.0.1:50062";
  std::string registrations_backend = "127.0.0.1:50063";
  std::string assessment_backend = "127.0.0.1:50061";
  double backend_timeout_seconds = 5;
  std::string clock_start;
  std::string holidays_file;
  std::string reminder_days_before = "7,3,1,0";
  int reminder_first_day_after = 1;
  int reminder_repeat_days = 3;
  int reminder_max_days_after = 30;
  int reminder_hour = 8;
  double reminder_interval_seconds = 60;
  int delivery_threads = 2;
  int delivery_batch = 20;
  double delivery_lease_seconds = 60;
  int delivery_max_attempts = 8;
  double retry_base_seconds = 30;
  double retry_max_seconds = 3600;
  double delivery_poll_seconds = 1;
  std::string smtp_url;
  std::string smtp_from = "ntm-notifications@localhost";
  double smtp_timeout_seconds = 20;
  double webhook_timeout_seconds = 10;
  std::string worker_id;
  double watch_poll_seconds = 1;
  bool migrate_only = false;
  std::string log_level = "info";
};

int Fail(const absl::Status& s) {
  ntm::log::Error("cannot start", {{"error", s.ToString()}});
  return 1;
}

absl::Status Between(const char* flag, double value, double low, double high) {
  if (!(value >= low && value <= high)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": ", value, " is not between ", low, " and ", high));
  }
  return absl::OkStatus();
}

std::string DefaultWorkerId() {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(host, "/", getpid());
}

// The SMTP URL as it may be logged: a user name and password in it ("smtp://user:pass@host")
// become "***".
std::string LoggableUrl(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) {
    return url;
  }
  const size_t host = scheme + 3;
  const size_t at = url.find('@', host);
  if (at == std::string::npos || at > url.find('/', host)) {
    return url;
  }
  return absl::StrCat(url.substr(0, host), "***", url.substr(at));
}

}  // namespace

int main(int argc, char** argv) {
  ntm::BlockTerminationSignals();
  Options o;
  o.server.listen = "127.0.0.1:50064";
  o.server.metrics_listen = "127.0.0.1:9464";
  o.db.schema = "ntm_notifications";
  ntm::Flags flags("ntm-notifications",
                   "the NTM notifications: inboxes, deadline reminders, e-mail and webhooks");
  o.server.Register(flags);
  o.db.Register(flags);
  flags.AddString("plans_backend", &o.plans_backend,
                  "host:port of the plans service (who has sent its plan)");
  flags.AddString("registrations_backend", &o.registrations_backend,
                  "host:port of the registrations service (who has sent its registration)");
  flags.AddString("assessment_backend", &o.assessment_backend,
                  "host:port of the assessment service (the communes of a district)");
  flags.AddDouble("backend_timeout_seconds", &o.backend_timeout_seconds,
                  "deadline of each call to those services");
  flags.AddString("clock_start", &o.clock_start,
                  "demonstrations only: start the service's clock at this RFC 3339 instant");
  flags.AddString("holidays_file", &o.holidays_file,
                  "JSON calendar of public holidays (no reminders on them); empty: weekends only");
  flags.AddString("reminder_days_before", &o.reminder_days_before,
                  "days before the deadline's day a reminder goes out, comma-separated");
  flags.AddInt("reminder_first_day_after", &o.reminder_first_day_after,
               "days after the deadline's day of the first overdue notice");
  flags.AddInt("reminder_repeat_days", &o.reminder_repeat_days,
               "days between overdue notices after the first");
  flags.AddInt("reminder_max_days_after", &o.reminder_max_days_after,
               "no overdue notice later than this many days after the deadline's day");
  flags.AddInt("reminder_hour", &o.reminder_hour, "local hour (Asia/Ho_Chi_Minh) reminders go out");
  flags.AddDouble("reminder_interval_seconds", &o.reminder_interval_seconds,
                  "how often due reminders are looked for");
  flags.AddInt("delivery_threads", &o.delivery_threads, "threads sending e-mail and webhooks");
  flags.AddInt("delivery_batch", &o.delivery_batch, "messages a thread claims at once");
  flags.AddDouble("delivery_lease_seconds", &o.delivery_lease_seconds,
                  "how long a claim holds before another worker may take the message");
  flags.AddInt("delivery_max_attempts", &o.delivery_max_attempts,
               "attempts before a message is marked failed");
  flags.AddDouble("retry_base_seconds", &o.retry_base_seconds,
                  "delay after the first failed attempt; doubles each time, with jitter");
  flags.AddDouble("retry_max_seconds", &o.retry_max_seconds, "longest delay between attempts");
  flags.AddDouble("delivery_poll_seconds", &o.delivery_poll_seconds,
                  "how often an idle sender looks for due messages");
  flags.AddString("smtp_url", &o.smtp_url,
                  "SMTP server for e-mail, e.g. smtp://127.0.0.1:25 or smtps://user:password@host; "
                  "empty: e-mail fails visibly");
  flags.AddString("smtp_from", &o.smtp_from, "sender address of e-mail");
  flags.AddDouble("smtp_timeout_seconds", &o.smtp_timeout_seconds, "deadline of one e-mail");
  flags.AddDouble("webhook_timeout_seconds", &o.webhook_timeout_seconds,
                  "deadline of one webhook call");
  flags.AddString("worker_id", &o.worker_id,
                  "names this replica's claims on messages; default host/pid");
  flags.AddDouble("watch_poll_seconds", &o.watch_poll_seconds,
                  "how often watched inboxes are looked at for new notifications");
  flags.AddBool("migrate_only", &o.migrate_only, "migrate, then exit");
  flags.AddString("log_level", &o.log_level, "debug, info, warn or error");
  if (absl::Status s = flags.Parse(argc, argv); !s.ok()) {
    std::fprintf(stderr, "ntm-notifications: %s\n", std::string(s.message()).c_str());
    return 2;
  }
  if (flags.help_requested()) {
    std::fputs(flags.Usage().c_str(), stdout);
    return 0;
  }
  ntm::log::SetService("notifications");
  auto level = ntm::log::ParseLevel(o.log_level);
  if (!level.ok()) {
    return Fail(level.status());
  }
  ntm::log::SetLevel(*level);

  ntm::notifications::ReminderPolicy policy;
  policy.days_before.clear();
  for (absl::string_view part :
       absl::StrSplit(o.reminder_days_before, ',', absl::SkipWhitespace())) {
    int d = 0;
    if (!absl::SimpleAtoi(part, &d)) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat("--reminder_days_before: '", part, "' is not a whole number of days")));
    }
    policy.days_before.push_back(d);
  }
  policy.first_day_after = o.reminder_first_day_after;
  policy.repeat_days = o.reminder_repeat_days;
  policy.max_days_after = o.reminder_max_days_after;
  policy.hour = o.reminder_hour;
  for (const absl::Status& s :
       {ntm::notifications::ValidatePolicy(policy),
        Between("backend_timeout_seconds", o.backend_timeout_seconds, 0.1, 60),
        Between("reminder_interval_seconds", o.reminder_interval_seconds, 0.05, 3600),
        Between("delivery_threads", o.delivery_threads, 0, 64),
        Between("delivery_batch", o.delivery_batch, 1, 500),
        Between("delivery_lease_seconds", o.delivery_lease_seconds, 1, 3600),
        Between("delivery_max_attempts", o.delivery_max_attempts, 1, 100),
        Between("retry_base_seconds", o.retry_base_seconds, 0.01, 86400),
        Between("retry_max_seconds", o.retry_max_seconds, o.retry_base_seconds, 7 * 86400),
        Between("delivery_poll_seconds", o.delivery_poll_seconds, 0.01, 60),
        Between("smtp_timeout_seconds", o.smtp_timeout_seconds, 1, 300),
        Between("webhook_timeout_seconds", o.webhook_timeout_seconds, 1, 300),
        Between("watch_poll_seconds", o.watch_poll_seconds, 0.05, 60)}) {
    if (!s.ok()) {
      return Fail(s);
    }
  }
  ntm::notifications::WorkCalendar calendar;
  if (!o.holidays_file.empty()) {
    std::ifstream in(o.holidays_file);
    if (!in) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat("--holidays_file: cannot read ", o.holidays_file)));
    }
    std::stringstream text;
    text << in.rdbuf();
    absl::StatusOr<ntm::notifications::WorkCalendar> c =
        ntm::notifications::WorkCalendar::FromJson(text.str());
    if (!c.ok()) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat("--holidays_file ", o.holidays_file, ": ", c.status().message())));
    }
    calendar = std::move(*c);
    ntm::log::Info("holiday calendar loaded",
                   {{"file", o.holidays_file}, {"days", absl::StrCat(calendar.holidays().size())}});
  }
  absl::StatusOr<std::unique_ptr<ntm::Clock>> clock_or = ntm::ClockFromFlag(o.clock_start);
  if (!clock_or.ok()) {
    return Fail(clock_or.status());
  }
  std::unique_ptr<ntm::Clock> clock = *std::move(clock_or);
  if (o.worker_id.empty()) {
    o.worker_id = DefaultWorkerId();
  }

  o.db.pool_size = std::max(o.db.pool_size, o.delivery_threads + 3);
  auto pool = ntm::db::ConnectionPool::Create(o.db);
  if (!pool.ok()) {
    return Fail(pool.status());
  }
  if (absl::Status s = ntm::db::ApplyMigrations(**pool, ntm::db::NotificationsMigrations());
      !s.ok()) {
    return Fail(s);
  }
  if (o.migrate_only) {
    ntm::log::Info("migrated; exiting as asked");
    return 0;
  }

  const absl::Duration timeout = absl::Seconds(o.backend_timeout_seconds);
  ntm::notifications::NotificationRepository repo(pool->get());
  ntm::notifications::GrpcObligationSource obligations(
      ntm::BackendChannel(o.plans_backend), o.plans_backend,
      ntm::BackendChannel(o.registrations_backend), o.registrations_backend, timeout,
      "ntm-notifications");
  ntm::assessment::client::GrpcAssessmentClient directory(ntm::BackendChannel(o.assessment_backend),
                                                          o.assessment_backend, timeout);

  ntm::notifications::api::WatchHub hub(&repo, absl::Seconds(o.watch_poll_seconds));
  ntm::notifications::EmailSender email(
      {o.smtp_url, o.smtp_from, absl::Seconds(o.smtp_timeout_seconds)});
  ntm::notifications::WebhookSender webhook(absl::Seconds(o.webhook_timeout_seconds));
  ntm::notifications::DeliveryOptions delivery;
  delivery.worker_id = o.worker_id;
  delivery.batch = o.delivery_batch;
  delivery.lease = absl::Seconds(o.delivery_lease_seconds);
  delivery.max_attempts = o.delivery_max_attempts;
  delivery.retry_base = absl::Seconds(o.retry_base_seconds);
  delivery.retry_max = absl::Seconds(o.retry_max_seconds);
  delivery.poll = absl::Seconds(o.delivery_poll_seconds);
  std::mt19937_64 rng(std::random_device{}());
  absl::Mutex rng_mu;
  ntm::notifications::DeliveryWorker worker(&repo, &obligations, clock.get(),
                                            {{ntm::notifications::Channel::kEmail, &email},
                                             {ntm::notifications::Channel::kWebhook, &webhook}},
                                            delivery, [&]() {
                                              absl::MutexLock lock(&rng_mu);
                                              return std::uniform_real_distribution<double>(
                                                  0.0, 1.0)(rng);
                                            });
  ntm::notifications::NotificationsApp app(&repo, &obligations, &directory, clock.get(), policy,
                                           calendar, [&] {
                                             hub.Wake();
                                             worker.Wake();
                                           });

  ntm::ServiceHost host("notifications", o.server);
  ntm::notifications::api::NotificationGrpcService service(&app, &hub, &host.runner());
  ntm::notifications::api::EventIngestGrpcService ingest(&app, &host.runner());
  host.AddService(&service, "ntm.notifications.v1.NotificationService");
  host.AddService(&ingest, "ntm.notifications.v1.EventIngestService");
  host.metrics().AddGauge("ntm_db_connections_in_use", "Database connections lent out.",
                          [p = pool->get()] { return static_cast<double>(p->in_use()); });
  host.metrics().AddGauge("ntm_notifications_sent_total", "Messages sent (e-mail, webhooks).",
                          [&] { return static_cast<double>(worker.sent()); });
  host.metrics().AddGauge("ntm_notifications_failed_total", "Messages failed for good.",
                          [&] { return static_cast<double>(worker.failed()); });
  host.metrics().AddGauge("ntm_notifications_retried_total", "Attempts that will be retried.",
                          [&] { return static_cast<double>(worker.retried()); });
  host.metrics().AddGauge("ntm_notifications_cancelled_total",
                          "Reminders not sent because the commune had sent the deliverable.",
                          [&] { return static_cast<double>(worker.cancelled()); });
  host.metrics().AddGauge("ntm_notifications_watchers", "Open WatchNotifications streams.",
                          [&] { return static_cast<double>(hub.watchers()); });
  if (absl::Status s = host.Start(); !s.ok()) {
    return Fail(s);
  }
  worker.Start(o.delivery_threads);
  absl::Notification stop_reminders;
  std::thread reminders([&] {
    do {
      absl::StatusOr<ntm::notifications::ReminderRun> run = app.RunReminders();
      if (!run.ok()) {
        ntm::log::Warn("reminder run failed", {{"error", run.status().ToString()}});
      }
    } while (
        !stop_reminders.WaitForNotificationWithTimeout(absl::Seconds(o.reminder_interval_seconds)));
  });
  ntm::log::Info("reminders and deliveries running",
                 {{"worker_id", o.worker_id},
                  {"delivery_threads", absl::StrCat(o.delivery_threads)},
                  {"smtp", o.smtp_url.empty() ? "(not configured)" : LoggableUrl(o.smtp_url)}});

  const std::string sig = ntm::WaitForTerminationSignal();
  ntm::log::Info("signal received, shutting down", {{"signal", sig}});
  // Everything stops at once: the reminder pass and the senders finish what they are doing (a
  // message being sent is sent and recorded) while the calls in flight drain.
  stop_reminders.Notify();
  worker.RequestStop();
  hub.Stop();
  host.Shutdown();
  reminders.join();
  worker.Stop();
  return 0;
}
