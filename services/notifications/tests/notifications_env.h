// A real notifications service for integration tests: a fresh schema on the MariaDB tests/run
// started, the migrations, the use cases asking real plans, registrations and assessment services
// over gRPC, the gRPC services on 127.0.0.1 with a port the kernel picks, and a delivery worker
// the test drives (RunOnce) with the test's clock. Senders are the real SMTP and webhook ones.
#ifndef NTM_SERVICES_NOTIFICATIONS_TESTS_NOTIFICATIONS_ENV_H_
#define NTM_SERVICES_NOTIFICATIONS_TESTS_NOTIFICATIONS_ENV_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "ntm/notifications/v1/events.grpc.pb.h"
#include "ntm/notifications/v1/notification.grpc.pb.h"
#include "services/common/clock.h"
#include "services/common/db/pool.h"
#include "services/notifications/app/delivery_worker.h"
#include "services/notifications/app/notifications_app.h"
#include "services/notifications/storage/notification_repository.h"

namespace ntm::notifications::testing {

struct NotificationsEnvOptions {
  std::string assessment_target;
  std::string plans_target;
  std::string registrations_target;
  // Empty: e-mail fails visibly.
  std::string smtp_url;
  ReminderPolicy policy;
  // The holidays of the calendar; by default Tết 2024 (08–14/02/2024).
  std::string calendar_json =
      R"({"holidays": [{"from": "2024-02-08", "to": "2024-02-14", "name": "Tết Giáp Thìn"}]})";
  DeliveryOptions delivery;
  absl::Duration backend_timeout = absl::Seconds(3);
};

class NotificationsEnv {
 public:
  static std::unique_ptr<NotificationsEnv> Start(const NotificationsEnvOptions& options,
                                                 Clock* clock);
  ~NotificationsEnv();

  NotificationsApp& app();
  NotificationRepository& repo();
  DeliveryWorker& worker();
  // A second worker with its own id on the same database, as another replica would have.
  std::unique_ptr<DeliveryWorker> NewWorker(const std::string& worker_id);
  int port() const;
  std::shared_ptr<grpc::Channel> channel() { return channel_; }
  ntm::notifications::v1::NotificationService::Stub& notifications() { return *stub_; }
  ntm::notifications::v1::EventIngestService::Stub& ingest() { return *ingest_; }
  db::ConnectionPool& pool() { return *pool_; }
  int64_t QueryInt(const std::string& sql);
  std::string Snapshot();

  struct Impl;

 private:
  NotificationsEnv() = default;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<Impl> impl_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<ntm::notifications::v1::NotificationService::Stub> stub_;
  std::unique_ptr<ntm::notifications::v1::EventIngestService::Stub> ingest_;
};

}  // namespace ntm::notifications::testing

#endif  // NTM_SERVICES_NOTIFICATIONS_TESTS_NOTIFICATIONS_ENV_H_
