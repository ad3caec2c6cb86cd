// A real assessment service for integration tests: a fresh schema on the MariaDB that tests/run
// started (NTM_TEST_DB_* variables), migrations and the repository's reference data loaded, the
// three gRPC services on 127.0.0.1 with a port the kernel picks, and a clock the test moves.
#ifndef NTM_SERVICES_ASSESSMENT_TESTS_TEST_ENV_H_
#define NTM_SERVICES_ASSESSMENT_TESTS_TEST_ENV_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ntm/assessment/v1/assessment.grpc.pb.h"
#include "ntm/assessment/v1/catalog.grpc.pb.h"
#include "ntm/assessment/v1/directory.grpc.pb.h"
#include "services/assessment/api/grpc_services.h"
#include "services/assessment/domain/app.h"
#include "services/assessment/storage/mysql_repository.h"
#include "services/common/clock.h"
#include "services/common/db/pool.h"
#include "services/common/server.h"

namespace ntm::assessment::testing {

// Database settings from NTM_TEST_DB_HOST, _PORT, _USER, _PASSWORD, with a new unique schema.
db::DbOptions TestDbOptions();

// Helpers on any test schema: one integer a query returns, a snapshot of every row of every
// table (for "nothing changed" checks), and dropping the schema when a test is done.
int64_t QueryIntOn(db::ConnectionPool& pool, const std::string& sql);
std::string SnapshotOf(db::ConnectionPool& pool);
void DropSchema(db::ConnectionPool& pool);

struct EnvOptions {
  // Reference data files, relative to the source tree, loaded after migrating.
  std::vector<std::string> data_files = {
      "data/units/lai-chau.json", "data/catalog/lai-chau-2022.json", "data/demo/tam-duong.json"};
};

class ServiceEnv {
 public:
  // Fails the current test (ADD_FAILURE) and returns null when anything cannot be set up.
  static std::unique_ptr<ServiceEnv> Start(const EnvOptions& options = {});
  ~ServiceEnv();

  ManualClock& clock() { return clock_; }
  db::ConnectionPool& pool() { return *pool_; }
  std::shared_ptr<grpc::Channel> channel() { return channel_; }
  v1::CatalogService::Stub& catalog() { return *catalog_; }
  v1::DirectoryService::Stub& directory() { return *directory_; }
  v1::AssessmentService::Stub& assessments() { return *assessments_; }
  int port() const { return host_->port(); }

  // A context with a 10 s deadline and the caller's identity as the gateway would set it.
  static std::unique_ptr<grpc::ClientContext> Context(const std::string& principal,
                                                      const std::string& agency = "");

  // Runs a query returning one integer (e.g. SELECT COUNT(*) ...).
  int64_t QueryInt(const std::string& sql);
  // Runs a query returning one string.
  std::string QueryString(const std::string& sql);

  // A snapshot of every row of the service's tables, for "nothing changed" checks.
  std::string Snapshot();

 private:
  ServiceEnv()
      : clock_(absl::FromCivil(absl::CivilSecond(2024, 1, 15, 2, 0, 0), absl::UTCTimeZone())) {}

  ManualClock clock_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<MySqlCatalogRepository> catalog_repo_;
  std::unique_ptr<MySqlDirectoryRepository> directory_repo_;
  std::unique_ptr<MySqlAssessmentRepository> assessment_repo_;
  std::unique_ptr<AssessmentApp> app_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<api::CatalogGrpcService> catalog_service_;
  std::unique_ptr<api::DirectoryGrpcService> directory_service_;
  std::unique_ptr<api::AssessmentGrpcService> assessment_service_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::CatalogService::Stub> catalog_;
  std::unique_ptr<v1::DirectoryService::Stub> directory_;
  std::unique_ptr<v1::AssessmentService::Stub> assessments_;
};

}  // namespace ntm::assessment::testing

#endif  // NTM_SERVICES_ASSESSMENT_TESTS_TEST_ENV_H_
