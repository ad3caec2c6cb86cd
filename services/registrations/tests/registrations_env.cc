#include "services/registrations/tests/registrations_env.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/assessment/client/assessment_client.h"
#include "services/assessment/tests/test_env.h"
#include "services/common/db/migrations.h"
#include "services/common/server.h"
#include "services/plans/client/directive_client.h"
#include "services/registrations/api/grpc_service.h"
#include "services/registrations/app/registrations_app.h"
#include "services/registrations/storage/registration_repository.h"

namespace ntm::registrations::testing {

struct RegistrationsEnv::Impl {
  std::unique_ptr<MySqlRegistrationRepository> repo;
  std::unique_ptr<assessment::client::GrpcAssessmentClient> assessment;
  std::unique_ptr<plans::client::GrpcDirectiveClient> directives;
  std::unique_ptr<RegistrationsApp> app;
  std::unique_ptr<ServiceHost> host;
  std::unique_ptr<api::RegistrationGrpcService> service;
};

std::unique_ptr<RegistrationsEnv> RegistrationsEnv::Start(const std::string& assessment_target,
                                                          const std::string& plans_target,
                                                          Clock* clock, absl::Duration timeout) {
  std::unique_ptr<RegistrationsEnv> env(new RegistrationsEnv());
  env->impl_ = std::make_unique<Impl>();
  auto pool = db::ConnectionPool::Create(assessment::testing::TestDbOptions());
  if (!pool.ok()) {
    ADD_FAILURE() << "database: " << pool.status();
    return nullptr;
  }
  env->pool_ = std::move(*pool);
  if (absl::Status s = db::ApplyMigrations(*env->pool_, db::RegistrationsMigrations()); !s.ok()) {
    ADD_FAILURE() << "migrations: " << s;
    return nullptr;
  }
  Impl& i = *env->impl_;
  i.repo = std::make_unique<MySqlRegistrationRepository>(env->pool_.get());
  i.assessment = std::make_unique<assessment::client::GrpcAssessmentClient>(
      grpc::CreateChannel(assessment_target, grpc::InsecureChannelCredentials()), assessment_target,
      timeout);
  i.directives = std::make_unique<plans::client::GrpcDirectiveClient>(
      grpc::CreateChannel(plans_target, grpc::InsecureChannelCredentials()), plans_target, timeout);
  i.app = std::make_unique<RegistrationsApp>(i.repo.get(), i.directives.get(), i.assessment.get(),
                                             clock);
  ServerOptions so;
  so.listen = "127.0.0.1:0";
  so.worker_threads = 4;
  so.drain_seconds = 2;
  i.host = std::make_unique<ServiceHost>("registrations-test", so);
  i.service = std::make_unique<api::RegistrationGrpcService>(i.app.get(), &i.host->runner());
  i.host->AddService(i.service.get(), "ntm.registrations.v1.RegistrationService");
  if (absl::Status s = i.host->Start(); !s.ok()) {
    ADD_FAILURE() << "server: " << s;
    return nullptr;
  }
  env->channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", i.host->port()),
                                      grpc::InsecureChannelCredentials());
  env->stub_ = ntm::registrations::v1::RegistrationService::NewStub(env->channel_);
  return env;
}

RegistrationsEnv::~RegistrationsEnv() {
  if (impl_ != nullptr && impl_->host != nullptr) {
    impl_->host->Shutdown();
  }
  if (pool_ != nullptr) {
    assessment::testing::DropSchema(*pool_);
  }
}

int RegistrationsEnv::port() const { return impl_->host->port(); }

int64_t RegistrationsEnv::QueryInt(const std::string& sql) {
  return assessment::testing::QueryIntOn(*pool_, sql);
}

std::string RegistrationsEnv::Snapshot() { return assessment::testing::SnapshotOf(*pool_); }

}  // namespace ntm::registrations::testing
