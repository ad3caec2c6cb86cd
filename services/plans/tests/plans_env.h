// A real plans service for integration tests: a fresh schema on the MariaDB that tests/run
// started, the plans migrations, the two gRPC services on 127.0.0.1 with a port the kernel
// picks, asking a real assessment service (see services/assessment/tests/test_env.h) over gRPC,
// with the test's clock.
#ifndef NTM_SERVICES_PLANS_TESTS_PLANS_ENV_H_
#define NTM_SERVICES_PLANS_TESTS_PLANS_ENV_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "ntm/plans/v1/directive.grpc.pb.h"
#include "ntm/plans/v1/plan.grpc.pb.h"
#include "services/common/clock.h"
#include "services/common/db/pool.h"

namespace ntm::plans::testing {

class PlansEnv {
 public:
  // `assessment_target` is "127.0.0.1:<port>" of the assessment service (which may be down);
  // every call to it gets `timeout`. Fails the current test (ADD_FAILURE) and returns null when
  // anything cannot be set up.
  static std::unique_ptr<PlansEnv> Start(const std::string& assessment_target, Clock* clock,
                                         absl::Duration timeout = absl::Seconds(3));
  ~PlansEnv();

  std::shared_ptr<grpc::Channel> channel() { return channel_; }
  ntm::plans::v1::DirectiveService::Stub& directives() { return *directives_; }
  ntm::plans::v1::PlanService::Stub& plans() { return *plans_; }
  int port() const;
  db::ConnectionPool& pool() { return *pool_; }
  // One integer a query on the plans schema returns (e.g. SELECT COUNT(*) FROM plans).
  int64_t QueryInt(const std::string& sql);
  // Every row of the plans schema, for "nothing changed" checks.
  std::string Snapshot();

  struct Impl;

 private:
  PlansEnv() = default;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<Impl> impl_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<ntm::plans::v1::DirectiveService::Stub> directives_;
  std::unique_ptr<ntm::plans::v1::PlanService::Stub> plans_;
};

}  // namespace ntm::plans::testing

#endif  // NTM_SERVICES_PLANS_TESTS_PLANS_ENV_H_
