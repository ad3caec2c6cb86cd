// A real registrations service for integration tests: a fresh schema on the MariaDB that
// tests/run started, the registrations migrations, the gRPC service on 127.0.0.1 with a port the
// kernel picks, asking a real assessment service and a real plans service over gRPC, with the
// test's clock.
#ifndef NTM_SERVICES_REGISTRATIONS_TESTS_REGISTRATIONS_ENV_H_
#define NTM_SERVICES_REGISTRATIONS_TESTS_REGISTRATIONS_ENV_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "ntm/registrations/v1/registration.grpc.pb.h"
#include "services/common/clock.h"
#include "services/common/db/pool.h"

namespace ntm::registrations::testing {

class RegistrationsEnv {
 public:
  // `assessment_target` and `plans_target` are "127.0.0.1:<port>" of those services. Fails the
  // current test (ADD_FAILURE) and returns null when anything cannot be set up.
  static std::unique_ptr<RegistrationsEnv> Start(const std::string& assessment_target,
                                                 const std::string& plans_target, Clock* clock,
                                                 absl::Duration timeout = absl::Seconds(3));
  ~RegistrationsEnv();

  std::shared_ptr<grpc::Channel> channel() { return channel_; }
  ntm::registrations::v1::RegistrationService::Stub& registrations() { return *stub_; }
  // The port it listens on, 127.0.0.1.
  int port() const;
  db::ConnectionPool& pool() { return *pool_; }
  // One integer a query on the registrations schema returns.
  int64_t QueryInt(const std::string& sql);
  // Every row of the registrations schema, for "nothing changed" checks.
  std::string Snapshot();

  struct Impl;

 private:
  RegistrationsEnv() = default;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<Impl> impl_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<ntm::registrations::v1::RegistrationService::Stub> stub_;
};

}  // namespace ntm::registrations::testing

#endif  // NTM_SERVICES_REGISTRATIONS_TESTS_REGISTRATIONS_ENV_H_
