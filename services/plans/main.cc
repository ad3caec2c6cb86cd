// ntm-plans: directives, commune plans and the district's views of them.
// Reads flags into options, builds the objects, serves until SIGTERM. Nothing else.
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/assessment/client/assessment_client.h"
#include "services/common/channel.h"
#include "services/common/clock.h"
#include "services/common/db/migrations.h"
#include "services/common/db/pool.h"
#include "services/common/flags.h"
#include "services/common/log.h"
#include "services/common/server.h"
#include "services/notifications/relay/outbox_relay.h"
#include "services/plans/api/grpc_services.h"
#include "services/plans/app/plans_app.h"
#include "services/plans/storage/directive_repository.h"
#include "services/plans/storage/plan_repository.h"

namespace {

struct Options {
  ntm::ServerOptions server;
  ntm::db::DbOptions db;
  std::string assessment_backend = "127.0.0.1:50061";
  double assessment_timeout_seconds = 5;
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
  o.server.listen = "127.0.0.1:50062";
  o.server.metrics_listen = "127.0.0.1:9462";
  o.db.schema = "ntm_plans";
  ntm::Flags flags("ntm-plans", "the NTM directives, commune plans and submission status");
  o.server.Register(flags);
  o.db.Register(flags);
  flags.AddString("assessment_backend", &o.assessment_backend,
                  "host:port of the assessment service (directory, catalog, assessments)");
  flags.AddDouble("assessment_timeout_seconds", &o.assessment_timeout_seconds,
                  "deadline of each call to the assessment service");
  flags.AddString("notifications_backend", &o.notifications_backend,
                  "host:port of the notifications service the outbox relay sends events to; "
                  "empty: events stay in the outbox until one is set");
  flags.AddDouble("outbox_relay_interval_seconds", &o.outbox_relay_interval_seconds,
                  "how often the outbox relay looks for new events");
  flags.AddString("clock_start", &o.clock_start,
                  "demonstrations only: start the service's clock at this RFC 3339 instant "
                  "(e.g. 2024-02-12T08:00:00+07:00) instead of the real time");
  flags.AddBool("migrate_only", &o.migrate_only, "migrate, then exit");
  flags.AddString("log_level", &o.log_level, "debug, info, warn or error");
  if (absl::Status s = flags.Parse(argc, argv); !s.ok()) {
    std::fprintf(stderr, "ntm-plans: %s\n", std::string(s.message()).c_str());
    return 2;
  }
  if (flags.help_requested()) {
    std::fputs(flags.Usage().c_str(), stdout);
    return 0;
  }
  ntm::log::SetService("plans");
  auto level = ntm::log::ParseLevel(o.log_level);
  if (!level.ok()) {
    return Fail(level.status());
  }
  ntm::log::SetLevel(*level);
  if (!(o.assessment_timeout_seconds > 0 && o.assessment_timeout_seconds <= 60)) {
    return Fail(absl::InvalidArgumentError("--assessment_timeout_seconds: between 0 and 60"));
  }
  o.db.pool_size = std::max(o.db.pool_size, 1);

  auto pool = ntm::db::ConnectionPool::Create(o.db);
  if (!pool.ok()) {
    return Fail(pool.status());
  }
  if (absl::Status s = ntm::db::ApplyMigrations(**pool, ntm::db::PlansMigrations()); !s.ok()) {
    return Fail(s);
  }
  if (o.migrate_only) {
    ntm::log::Info("migrated; exiting as asked");
    return 0;
  }

  absl::StatusOr<std::unique_ptr<ntm::Clock>> clock_or = ntm::ClockFromFlag(o.clock_start);
  if (!clock_or.ok()) {
    return Fail(clock_or.status());
  }
  std::unique_ptr<ntm::Clock> clock_owner = *std::move(clock_or);
  ntm::Clock& clock = *clock_owner;
  ntm::plans::MySqlDirectiveRepository directives(pool->get());
  ntm::plans::MySqlPlanRepository plans(pool->get());
  ntm::assessment::client::GrpcAssessmentClient assessment(
      ntm::BackendChannel(o.assessment_backend), o.assessment_backend,
      absl::Seconds(o.assessment_timeout_seconds));
  ntm::plans::PlansApp app(&directives, &plans, &assessment, &clock);

  ntm::ServiceHost host("plans", o.server);
  ntm::plans::api::DirectiveGrpcService directive_service(&app, &host.runner());
  ntm::plans::api::PlanGrpcService plan_service(&app, &host.runner());
  host.AddService(&directive_service, "ntm.plans.v1.DirectiveService");
  host.AddService(&plan_service, "ntm.plans.v1.PlanService");
  host.metrics().AddGauge("ntm_db_connections_in_use", "Database connections lent out.",
                          [p = pool->get()] { return static_cast<double>(p->in_use()); });
  if (absl::Status s = host.Start(); !s.ok()) {
    return Fail(s);
  }
  std::unique_ptr<ntm::notifications::OutboxRelay> relay = ntm::notifications::StartOutboxRelay(
      pool->get(), clock_owner.get(), "plans", o.notifications_backend,
      absl::Seconds(o.outbox_relay_interval_seconds), &host.metrics());
  ntm::log::Info("assessment backend", {{"target", o.assessment_backend}});
  const std::string sig = ntm::WaitForTerminationSignal();
  ntm::log::Info("signal received, shutting down", {{"signal", sig}});
  host.Shutdown();
  if (relay) {
    relay->Stop();
  }
  return 0;
}
