#include "services/plans/tests/plans_env.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/assessment/client/assessment_client.h"
#include "services/assessment/tests/test_env.h"
#include "services/common/db/migrations.h"
#include "services/common/server.h"
#include "services/plans/api/grpc_services.h"
#include "services/plans/app/plans_app.h"
#include "services/plans/storage/directive_repository.h"
#include "services/plans/storage/plan_repository.h"

namespace ntm::plans::testing {

struct PlansEnv::Impl {
  std::unique_ptr<MySqlDirectiveRepository> directives;
  std::unique_ptr<MySqlPlanRepository> plans;
  std::unique_ptr<assessment::client::GrpcAssessmentClient> assessment;
  std::unique_ptr<PlansApp> app;
  std::unique_ptr<ServiceHost> host;
  std::unique_ptr<api::DirectiveGrpcService> directive_service;
  std::unique_ptr<api::PlanGrpcService> plan_service;
};

std::unique_ptr<PlansEnv> PlansEnv::Start(const std::string& assessment_target, Clock* clock,
                                          absl::Duration timeout) {
  std::unique_ptr<PlansEnv> env(new PlansEnv());
  env->impl_ = std::make_unique<Impl>();
  auto pool = db::ConnectionPool::Create(assessment::testing::TestDbOptions());
  if (!pool.ok()) {
    ADD_FAILURE() << "database: " << pool.status();
    return nullptr;
  }
  env->pool_ = std::move(*pool);
  if (absl::Status s = db::ApplyMigrations(*env->pool_, db::PlansMigrations()); !s.ok()) {
    ADD_FAILURE() << "migrations: " << s;
    return nullptr;
  }
  Impl& i = *env->impl_;
  i.directives = std::make_unique<MySqlDirectiveRepository>(env->pool_.get());
  i.plans = std::make_unique<MySqlPlanRepository>(env->pool_.get());
  i.assessment = std::make_unique<assessment::client::GrpcAssessmentClient>(
      grpc::CreateChannel(assessment_target, grpc::InsecureChannelCredentials()), assessment_target,
      timeout);
  i.app = std::make_unique<PlansApp>(i.directives.get(), i.plans.get(), i.assessment.get(), clock);
  ServerOptions so;
  so.listen = "127.0.0.1:0";
  so.worker_threads = 4;
  so.drain_seconds = 2;
  i.host = std::make_unique<ServiceHost>("plans-test", so);
  i.directive_service = std::make_unique<api::DirectiveGrpcService>(i.app.get(), &i.host->runner());
  i.plan_service = std::make_unique<api::PlanGrpcService>(i.app.get(), &i.host->runner());
  i.host->AddService(i.directive_service.get(), "ntm.plans.v1.DirectiveService");
  i.host->AddService(i.plan_service.get(), "ntm.plans.v1.PlanService");
  if (absl::Status s = i.host->Start(); !s.ok()) {
    ADD_FAILURE() << "server: " << s;
    return nullptr;
  }
  env->channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", i.host->port()),
                                      grpc::InsecureChannelCredentials());
  env->directives_ = ntm::plans::v1::DirectiveService::NewStub(env->channel_);
  env->plans_ = ntm::plans::v1::PlanService::NewStub(env->channel_);
  return env;
}

PlansEnv::~PlansEnv() {
  if (impl_ != nullptr && impl_->host != nullptr) {
    impl_->host->Shutdown();
  }
  if (pool_ != nullptr) {
    assessment::testing::DropSchema(*pool_);
  }
}

int PlansEnv::port() const { return impl_->host->port(); }

int64_t PlansEnv::QueryInt(const std::string& sql) {
  return assessment::testing::QueryIntOn(*pool_, sql);
}

std::string PlansEnv::Snapshot() { return assessment::testing::SnapshotOf(*pool_); }

}  // namespace ntm::plans::testing
