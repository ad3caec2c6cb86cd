// ntm-registrations: communes' registrations (model point, village changes, endorsements) and the
// district's model point. Reads flags into options, builds the objects, serves until SIGTERM.
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/assessment/client/assessment_client.h"
#include "services/common/channel.h"
#include "services/common/clock.h"
#include "services/common/db/migrations.h"
#include "services/common/db/pool.h"
#include "services/common/flags.h"
#include "services/common/log.h"
#include "services/common/server.h"
#include "services/notifications/relay/outbox_relay.h"
#include "services/plans/client/directive_client.h"
#include "services/registrations/api/grpc_service.h"
#include "services/registrations/app/registrations_app.h"
#include "services/registrations/storage/registration_repository.h"

namespace {

struct Options {
  ntm::ServerOptions server;
  ntm::db::DbOptions db;
  std::string assessment_backend = "127.0.0.1:50061";
  std::string plans_backend = "127.0.0.1:50062";
  double backend_timeout_seconds = 5;
  std::string clock_start;
  std::string notifications_backend;
  double outbox_relay_interval_seconds = 1;
  bool migrate_only = false;
  std::string log_level = "info";
};

int Fail(const absl::Status& s) {
  ntm::log::Error("cannot start", {{"error", s.ToString()}});
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  ntm::BlockTerminationSignals();
  Options o;
  o.server.listen = "127.0.0.1:50063";
  o.server.metrics_listen = "127.0.0.1:9463";
  o.db.schema = "ntm_registrations";
  ntm::Flags flags("ntm-registrations",
                   "the NTM registrations: model points, village changes, endorsements");
  o.server.Register(flags);
  o.db.Register(flags);
  flags.AddString("assessment_backend", &o.assessment_backend,
                  "host:port of the assessment service (villages, catalog)");
  flags.AddString("plans_backend", &o.plans_backend,
                  "host:port of the plans service (directives and deadlines)");
  flags.AddDouble("backend_timeout_seconds", &o.backend_timeout_seconds,
                  "deadline of each call to the assessment and plans services");
  flags.AddString("notifications_backend", &o.notifications_backend,
                  "host:port of the notifications service the outbox relay sends events to; "
                  "empty: events stay in the outbox until one is set");
  flags.AddDouble("outbox_relay_interval_seconds", &o.outbox_relay_interval_seconds,
                  "how often the outbox relay looks for new events");
  flags.AddString("clock_start", &o.clock_start,
                  "demonstrations only: start the service's clock at this RFC 3339 instant");
  flags.AddBool("migrate_only", &o.migrate_only, "migrate, then exit");
  flags.AddString("log_level", &o.log_level, "debug, info, warn or error");
  if (absl::Status s = flags.Parse(argc, argv); !s.ok()) {
    std::fprintf(stderr, "ntm-registrations: %s\n", std::string(s.message()).c_str());
    return 2;
  }
  if (flags.help_requested()) {
    std::fputs(flags.Usage().c_str(), stdout);
    return 0;
  }
  ntm::log::SetService("registrations");
  auto level = ntm::log::ParseLevel(o.log_level);
  if (!level.ok()) {
    return Fail(level.status());
  }
  ntm::log::SetLevel(*level);
  if (!(o.backend_timeout_seconds > 0 && o.backend_timeout_seconds <= 60)) {
    return Fail(absl::InvalidArgumentError(
        absl::StrCat("--backend_timeout_seconds: ", o.backend_timeout_seconds,
                     " is not more than 0 and at most 60 seconds")));
  }
  absl::StatusOr<std::unique_ptr<ntm::Clock>> clock_or = ntm::ClockFromFlag(o.clock_start);
  if (!clock_or.ok()) {
    return Fail(clock_or.status());
  }
  std::unique_ptr<ntm::Clock> clock = *std::move(clock_or);
  o.db.pool_size = std::max(o.db.pool_size, 1);
  auto pool = ntm::db::ConnectionPool::Create(o.db);
  if (!pool.ok()) {
    return Fail(pool.status());
  }
  if (absl::Status s = ntm::db::ApplyMigrations(**pool, ntm::db::RegistrationsMigrations());
      !s.ok()) {
    return Fail(s);
  }
  if (o.migrate_only) {
    ntm::log::Info("migrated; exiting as asked");
    return 0;
  }

  const absl::Duration timeout = absl::Seconds(o.backend_timeout_seconds);
  ntm::registrations::MySqlRegistrationRepository repo(pool->get());
  ntm::assessment::client::GrpcAssessmentClient assessment(
      ntm::BackendChannel(o.assessment_backend), o.assessment_backend, timeout);
  ntm::plans::client::GrpcDirectiveClient directives(ntm::BackendChannel(o.plans_backend),
                                                     o.plans_backend, timeout);
  ntm::registrations::RegistrationsApp app(&repo, &directives, &assessment, clock.get());

  ntm::ServiceHost host("registrations", o.server);
  ntm::registrations::api::RegistrationGrpcService service(&app, &host.runner());
  host.AddService(&service, "ntm.registrations.v1.RegistrationService");
  host.metrics().AddGauge("ntm_db_connections_in_use", "Database connections lent out.",
                          [p = pool->get()] { return static_cast<double>(p->in_use()); });
  if (absl::Status s = host.Start(); !s.ok()) {
    return Fail(s);
  }
  std::unique_ptr<ntm::notifications::OutboxRelay> relay = ntm::notifications::StartOutboxRelay(
      pool->get(), clock.get(), "registrations", o.notifications_backend,
      absl::Seconds(o.outbox_relay_interval_seconds), &host.metrics());
  const std::string sig = ntm::WaitForTerminationSignal();
  ntm::log::Info("signal received, shutting down", {{"signal", sig}});
  host.Shutdown();
  if (relay) {
    relay->Stop();
  }
  return 0;
}
