// ntm-assessment: the criteria catalog, the unit directory and commune assessments.
// Reads flags into options, builds the objects, serves until SIGTERM. Nothing else.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/assessment/api/grpc_services.h"
#include "services/assessment/domain/app.h"
#include "services/assessment/storage/mysql_repository.h"
#include "services/assessment/storage/reference_loader.h"
#include "services/common/clock.h"
#include "services/common/db/migrations.h"
#include "services/common/db/pool.h"
#include "services/common/flags.h"
#include "services/common/log.h"
#include "services/common/server.h"

namespace {

struct Options {
  ntm::ServerOptions server;
  ntm::db::DbOptions db;
  std::string load;
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
  o.server.listen = "127.0.0.1:50061";
  o.server.metrics_listen = "127.0.0.1:9461";
  o.db.schema = "ntm_assessment";
  ntm::Flags flags("ntm-assessment",
                   "the NTM criteria catalog, unit directory and commune assessments");
  o.server.Register(flags);
  o.db.Register(flags);
  flags.AddString("load", &o.load,
                  "comma-separated reference data files (JSON) to load after migrating");
  flags.AddBool("migrate_only", &o.migrate_only, "migrate and load, then exit");
  flags.AddString("log_level", &o.log_level, "debug, info, warn or error");
  if (absl::Status s = flags.Parse(argc, argv); !s.ok()) {
    std::fprintf(stderr, "ntm-assessment: %s\n", std::string(s.message()).c_str());
    return 2;
  }
  if (flags.help_requested()) {
    std::fputs(flags.Usage().c_str(), stdout);
    return 0;
  }
  ntm::log::SetService("assessment");
  auto level = ntm::log::ParseLevel(o.log_level);
  if (!level.ok()) {
    return Fail(level.status());
  }
  ntm::log::SetLevel(*level);
  o.db.pool_size = std::max(o.db.pool_size, 1);

  auto pool = ntm::db::ConnectionPool::Create(o.db);
  if (!pool.ok()) {
    return Fail(pool.status());
  }
  if (absl::Status s = ntm::db::ApplyMigrations(**pool, ntm::db::AssessmentMigrations()); !s.ok()) {
    return Fail(s);
  }
  for (absl::string_view path : absl::StrSplit(o.load, ',', absl::SkipWhitespace())) {
    auto bundle = ntm::assessment::ReadReferenceFile(std::string(path));
    if (!bundle.ok()) {
      return Fail(bundle.status());
    }
    auto report = ntm::assessment::LoadBundle(**pool, *bundle);
    if (!report.ok()) {
      return Fail(report.status());
    }
    ntm::log::Info("loaded reference data",
                   {{"file", path},
                    {"units", absl::StrCat(report->units)},
                    {"agencies", absl::StrCat(report->agencies)},
                    {"criteria_sets_loaded", absl::StrCat(report->criteria_sets_loaded)},
                    {"criteria_sets_kept", absl::StrCat(report->criteria_sets_skipped)},
                    {"ownership_tables_loaded", absl::StrCat(report->ownership_tables_loaded)},
                    {"ownership_tables_kept", absl::StrCat(report->ownership_tables_skipped)},
                    {"thresholds_filled", absl::StrCat(report->thresholds_filled)}});
  }
  if (o.migrate_only) {
    ntm::log::Info("migrated; exiting as asked");
    return 0;
  }

  ntm::SystemClock clock;
  ntm::assessment::MySqlCatalogRepository catalog(pool->get());
  ntm::assessment::MySqlDirectoryRepository directory(pool->get());
  ntm::assessment::MySqlAssessmentRepository assessments(pool->get());
  ntm::assessment::AssessmentApp app(&catalog, &directory, &assessments, &clock);

  ntm::ServiceHost host("assessment", o.server);
  ntm::assessment::api::CatalogGrpcService catalog_service(&app, &host.runner());
  ntm::assessment::api::DirectoryGrpcService directory_service(&app, &host.runner());
  ntm::assessment::api::AssessmentGrpcService assessment_service(&app, &host.runner());
  host.AddService(&catalog_service, "ntm.assessment.v1.CatalogService");
  host.AddService(&directory_service, "ntm.assessment.v1.DirectoryService");
  host.AddService(&assessment_service, "ntm.assessment.v1.AssessmentService");
  host.metrics().AddGauge("ntm_db_connections_in_use", "Database connections lent out.",
                          [p = pool->get()] { return static_cast<double>(p->in_use()); });
  if (absl::Status s = host.Start(); !s.ok()) {
    return Fail(s);
  }
  const std::string sig = ntm::WaitForTerminationSignal();
  ntm::log::Info("signal received, shutting down", {{"signal", sig}});
  host.Shutdown();
  return 0;
}
