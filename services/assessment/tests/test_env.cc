#include "services/assessment/tests/test_env.h"

#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/assessment/storage/reference_loader.h"
#include "services/common/caller.h"
#include "services/common/db/migrations.h"

namespace ntm::assessment::testing {
namespace {

std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string(fallback);
}

}  // namespace

db::DbOptions TestDbOptions() {
  static std::atomic<int> counter{0};
  db::DbOptions o;
  o.host = Env("NTM_TEST_DB_HOST", "127.0.0.1");
  (void)absl::SimpleAtoi(Env("NTM_TEST_DB_PORT", "0"), &o.port);
  o.user = Env("NTM_TEST_DB_USER", "ntm");
  o.password = Env("NTM_TEST_DB_PASSWORD", "");
  o.schema = absl::StrCat("ntm_test_", getpid(), "_", counter.fetch_add(1));
  o.pool_size = 8;
  return o;
}

std::unique_ptr<ServiceEnv> ServiceEnv::Start(const EnvOptions& options) {
  if (std::getenv("NTM_TEST_DB_PORT") == nullptr) {
    ADD_FAILURE() << "NTM_TEST_DB_PORT is not set: integration tests need the MariaDB that "
                     "tests/run starts (run tests/run, or export NTM_TEST_DB_*)";
    return nullptr;
  }
  std::unique_ptr<ServiceEnv> env(new ServiceEnv());
  auto pool = db::ConnectionPool::Create(TestDbOptions());
  if (!pool.ok()) {
    ADD_FAILURE() << "database: " << pool.status();
    return nullptr;
  }
  env->pool_ = std::move(*pool);
  if (absl::Status s = db::ApplyMigrations(*env->pool_, db::AssessmentMigrations()); !s.ok()) {
    ADD_FAILURE() << "migrations: " << s;
    return nullptr;
  }
  for (const std::string& file : options.data_files) {
    auto bundle = ReadReferenceFile(absl::StrCat(NTM_SOURCE_DIR, "/", file));
    if (!bundle.ok()) {
      ADD_FAILURE() << bundle.status();
      return nullptr;
    }
    if (auto r = LoadBundle(*env->pool_, *bundle); !r.ok()) {
      ADD_FAILURE() << file << ": " << r.status();
      return nullptr;
    }
  }
  env->catalog_repo_ = std::make_unique<MySqlCatalogRepository>(env->pool_.get());
  env->directory_repo_ = std::make_unique<MySqlDirectoryRepository>(env->pool_.get());
  env->assessment_repo_ = std::make_unique<MySqlAssessmentRepository>(env->pool_.get());
  env->app_ = std::make_unique<AssessmentApp>(env->catalog_repo_.get(), env->directory_repo_.get(),
                                              env->assessment_repo_.get(), &env->clock_);
  ServerOptions so;
  so.listen = "127.0.0.1:0";
  so.worker_threads = 4;
  so.drain_seconds = 2;
  env->host_ = std::make_unique<ServiceHost>("assessment-test", so);
  env->catalog_service_ =
      std::make_unique<api::CatalogGrpcService>(env->app_.get(), &env->host_->runner());
  env->directory_service_ =
      std::make_unique<api::DirectoryGrpcService>(env->app_.get(), &env->host_->runner());
  env->assessment_service_ =
      std::make_unique<api::AssessmentGrpcService>(env->app_.get(), &env->host_->runner());
  env->host_->AddService(env->catalog_service_.get(), "ntm.assessment.v1.CatalogService");
  env->host_->AddService(env->directory_service_.get(), "ntm.assessment.v1.DirectoryService");
  env->host_->AddService(env->assessment_service_.get(), "ntm.assessment.v1.AssessmentService");
  if (absl::Status s = env->host_->Start(); !s.ok()) {
    ADD_FAILURE() << "server: " << s;
    return nullptr;
  }
  env->channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", env->host_->port()),
                                      grpc::InsecureChannelCredentials());
  env->catalog_ = v1::CatalogService::NewStub(env->channel_);
  env->directory_ = v1::DirectoryService::NewStub(env->channel_);
  env->assessments_ = v1::AssessmentService::NewStub(env->channel_);
  return env;
}

ServiceEnv::~ServiceEnv() {
  if (host_ != nullptr) {
    host_->Shutdown();
  }
  if (pool_ != nullptr) {
    DropSchema(*pool_);
  }
}

void DropSchema(db::ConnectionPool& pool) {
  const std::string schema = pool.options().schema;
  (void)pool.WithConnection([&](sql::Connection& conn) -> absl::Status {
    std::unique_ptr<sql::Statement> st(conn.createStatement());
    st->execute(absl::StrCat("DROP DATABASE IF EXISTS `", schema, "`"));
    return absl::OkStatus();
  });
}

std::unique_ptr<grpc::ClientContext> ServiceEnv::Context(const std::string& principal,
                                                         const std::string& agency) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  ctx->AddMetadata(kPrincipalHeader, principal);
  if (!agency.empty()) {
    ctx->AddMetadata(kAgencyHeader, agency);
  }
  return ctx;
}

int64_t ServiceEnv::QueryInt(const std::string& sql) { return QueryIntOn(*pool_, sql); }

int64_t QueryIntOn(db::ConnectionPool& pool, const std::string& sql) {
  int64_t out = -1;
  absl::Status s = pool.WithConnection([&](sql::Connection& conn) -> absl::Status {
    std::unique_ptr<sql::Statement> st(conn.createStatement());
    std::unique_ptr<sql::ResultSet> rs(st->executeQuery(sql));
    if (rs->next()) {
      out = rs->getInt64(1);
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

std::string ServiceEnv::QueryString(const std::string& sql) {
  std::string out;
  absl::Status s = pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    std::unique_ptr<sql::Statement> st(conn.createStatement());
    std::unique_ptr<sql::ResultSet> rs(st->executeQuery(sql));
    if (rs->next()) {
      out = rs->getString(1).asStdString();
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

std::string ServiceEnv::Snapshot() { return SnapshotOf(*pool_); }

std::string SnapshotOf(db::ConnectionPool& pool) {
  std::string out;
  absl::Status s = pool.WithConnection([&](sql::Connection& conn) -> absl::Status {
    std::unique_ptr<sql::Statement> st(conn.createStatement());
    std::vector<std::string> tables;
    {
      std::unique_ptr<sql::ResultSet> rs(st->executeQuery(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
          "ORDER BY table_name"));
      while (rs->next()) {
        tables.push_back(rs->getString(1).asStdString());
      }
    }
    for (const std::string& t : tables) {
      std::unique_ptr<sql::ResultSet> rs(
          st->executeQuery(absl::StrCat("SELECT * FROM `", t, "` ORDER BY 1, 2")));
      const int cols = static_cast<int>(rs->getMetaData()->getColumnCount());
      absl::StrAppend(&out, "## ", t, "\n");
      while (rs->next()) {
        for (int c = 1; c <= cols; ++c) {
          absl::StrAppend(&out, rs->isNull(c) ? "NULL" : rs->getString(c).asStdString(), "|");
        }
        out += "\n";
      }
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

}  // namespace ntm::assessment::testing
