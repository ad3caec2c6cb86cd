#include "services/notifications/tests/notifications_env.h"

#include <gtest/gtest.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "services/assessment/client/assessment_client.h"
#include "services/assessment/tests/test_env.h"
#include "services/common/db/migrations.h"
#include "services/common/server.h"
#include "services/notifications/api/grpc_service.h"
#include "services/notifications/delivery/senders.h"

namespace ntm::notifications::testing {

struct NotificationsEnv::Impl {
  Clock* clock = nullptr;
  NotificationsEnvOptions options;
  std::unique_ptr<NotificationRepository> repo;
  std::unique_ptr<GrpcObligationSource> obligations;
  std::unique_ptr<assessment::client::GrpcAssessmentClient> directory;
  std::unique_ptr<api::WatchHub> hub;
  std::unique_ptr<EmailSender> email;
  std::unique_ptr<WebhookSender> webhook;
  std::unique_ptr<DeliveryWorker> worker;
  std::unique_ptr<NotificationsApp> app;
  std::unique_ptr<ServiceHost> host;
  std::unique_ptr<api::NotificationGrpcService> service;
  std::unique_ptr<api::EventIngestGrpcService> ingest;
};

std::unique_ptr<NotificationsEnv> NotificationsEnv::Start(const NotificationsEnvOptions& options,
                                                          Clock* clock) {
  std::unique_ptr<NotificationsEnv> env(new NotificationsEnv());
  env->impl_ = std::make_unique<Impl>();
  Impl& i = *env->impl_;
  i.clock = clock;
  i.options = options;
  auto pool = db::ConnectionPool::Create(assessment::testing::TestDbOptions());
  if (!pool.ok()) {
    ADD_FAILURE() << "database: " << pool.status();
    return nullptr;
  }
  env->pool_ = std::move(*pool);
  if (absl::Status s = db::ApplyMigrations(*env->pool_, db::NotificationsMigrations()); !s.ok()) {
    ADD_FAILURE() << "migrations: " << s;
    return nullptr;
  }
  absl::StatusOr<WorkCalendar> calendar = WorkCalendar::FromJson(options.calendar_json);
  if (!calendar.ok()) {
    ADD_FAILURE() << "calendar: " << calendar.status();
    return nullptr;
  }
  i.repo = std::make_unique<NotificationRepository>(env->pool_.get());
  i.obligations = std::make_unique<GrpcObligationSource>(
      grpc::CreateChannel(options.plans_target, grpc::InsecureChannelCredentials()),
      options.plans_target,
      grpc::CreateChannel(options.registrations_target, grpc::InsecureChannelCredentials()),
      options.registrations_target, options.backend_timeout, "ntm-notifications");
  i.directory = std::make_unique<assessment::client::GrpcAssessmentClient>(
      grpc::CreateChannel(options.assessment_target, grpc::InsecureChannelCredentials()),
      options.assessment_target, options.backend_timeout);
  i.hub = std::make_unique<api::WatchHub>(i.repo.get(), absl::Milliseconds(50));
  i.email = std::make_unique<EmailSender>(
      EmailOptions{options.smtp_url, "ntm@tamduong.laichau.gov.vn", absl::Seconds(5)});
  i.webhook = std::make_unique<WebhookSender>(absl::Seconds(5));
  i.worker = env->NewWorker(options.delivery.worker_id);
  Impl* raw = &i;
  i.app = std::make_unique<NotificationsApp>(i.repo.get(), i.obligations.get(), i.directory.get(),
                                             clock, options.policy, *calendar,
                                             [raw] { raw->hub->Wake(); });
  ServerOptions so;
  so.listen = "127.0.0.1:0";
  so.worker_threads = 4;
  so.drain_seconds = 2;
  i.host = std::make_unique<ServiceHost>("notifications-test", so);
  i.service =
      std::make_unique<api::NotificationGrpcService>(i.app.get(), i.hub.get(), &i.host->runner());
  i.ingest = std::make_unique<api::EventIngestGrpcService>(i.app.get(), &i.host->runner());
  i.host->AddService(i.service.get(), "ntm.notifications.v1.NotificationService");
  i.host->AddService(i.ingest.get(), "ntm.notifications.v1.EventIngestService");
  if (absl::Status s = i.host->Start(); !s.ok()) {
    ADD_FAILURE() << "server: " << s;
    return nullptr;
  }
  env->channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", i.host->port()),
                                      grpc::InsecureChannelCredentials());
  env->stub_ = ntm::notifications::v1::NotificationService::NewStub(env->channel_);
  env->ingest_ = ntm::notifications::v1::EventIngestService::NewStub(env->channel_);
  return env;
}

NotificationsEnv::~NotificationsEnv() {
  if (impl_ != nullptr) {
    if (impl_->hub != nullptr) {
      impl_->hub->Stop();
    }
    if (impl_->host != nullptr) {
      impl_->host->Shutdown();
    }
    if (impl_->worker != nullptr) {
      impl_->worker->Stop();
    }
  }
  if (pool_ != nullptr) {
    assessment::testing::DropSchema(*pool_);
  }
}

std::unique_ptr<DeliveryWorker> NotificationsEnv::NewWorker(const std::string& worker_id) {
  Impl& i = *impl_;
  DeliveryOptions d = i.options.delivery;
  d.worker_id = worker_id;
  return std::make_unique<DeliveryWorker>(
      i.repo.get(), i.obligations.get(), i.clock,
      std::map<Channel, ChannelSender*>{{Channel::kEmail, i.email.get()},
                                        {Channel::kWebhook, i.webhook.get()}},
      d, [] {
        thread_local std::mt19937_64 rng{std::random_device{}()};
        return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
      });
}

NotificationsApp& NotificationsEnv::app() { return *impl_->app; }
NotificationRepository& NotificationsEnv::repo() { return *impl_->repo; }
DeliveryWorker& NotificationsEnv::worker() { return *impl_->worker; }
int NotificationsEnv::port() const { return impl_->host->port(); }

int64_t NotificationsEnv::QueryInt(const std::string& sql) {
  return assessment::testing::QueryIntOn(*pool_, sql);
}

std::string NotificationsEnv::Snapshot() { return assessment::testing::SnapshotOf(*pool_); }

}  // namespace ntm::notifications::testing
