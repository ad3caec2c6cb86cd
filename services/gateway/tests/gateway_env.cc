#include "services/gateway/tests/gateway_env.h"

#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "services/common/channel.h"
#include "services/common/db/migrations.h"
#include "services/gateway/gateway.h"

namespace ntm::gateway::testing {

namespace {

// Writes `text` to a new file in a fresh temporary directory; returns its path.
std::string WriteTemp(const std::string& name, const std::string& text) {
  static const std::string dir = [] {
    std::string pattern = absl::StrCat(::testing::TempDir(), "ntm-gateway-XXXXXX");
    return std::string(mkdtemp(pattern.data()));
  }();
  const std::string path = absl::StrCat(dir, "/", name);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

}  // namespace

struct GatewayEnv::Impl {
  std::unique_ptr<db::ConnectionPool> pool;
  std::unique_ptr<AccessStore> store;
  std::unique_ptr<DbPrincipalRegistry> registry;
  std::unique_ptr<Gateway> gateway;
};

std::unique_ptr<GatewayEnv> GatewayEnv::Start(const GatewayEnvOptions& options) {
  std::unique_ptr<GatewayEnv> env(new GatewayEnv());
  env->service_ = assessment::testing::ServiceEnv::Start();
  if (env->service_ == nullptr) {
    return nullptr;
  }
  env->plans_ = plans::testing::PlansEnv::Start(absl::StrCat("127.0.0.1:", env->service_->port()),
                                                &env->service_->clock());
  if (env->plans_ == nullptr) {
    return nullptr;
  }
  env->registrations_ = registrations::testing::RegistrationsEnv::Start(
      absl::StrCat("127.0.0.1:", env->service_->port()),
      absl::StrCat("127.0.0.1:", env->plans_->port()), &env->service_->clock());
  if (env->registrations_ == nullptr) {
    return nullptr;
  }
  notifications::testing::NotificationsEnvOptions n;
  n.assessment_target = absl::StrCat("127.0.0.1:", env->service_->port());
  n.plans_target = absl::StrCat("127.0.0.1:", env->plans_->port());
  n.registrations_target = absl::StrCat("127.0.0.1:", env->registrations_->port());
  env->notifications_ = notifications::testing::NotificationsEnv::Start(n, &env->service_->clock());
  if (env->notifications_ == nullptr) {
    return nullptr;
  }
  env->impl_ = std::make_unique<Impl>();
  std::ifstream in(absl::StrCat(NTM_SOURCE_DIR, "/", options.principals_file));
  std::stringstream json;
  json << in.rdbuf();
  auto file = StaticPrincipalRegistry::FromJson(json.str());
  if (!file.ok()) {
    ADD_FAILURE() << options.principals_file << ": " << file.status();
    return nullptr;
  }
  // The gateway's own schema, fresh, on the same MariaDB.
  auto pool = db::ConnectionPool::Create(assessment::testing::TestDbOptions());
  if (!pool.ok()) {
    ADD_FAILURE() << "gateway database: " << pool.status();
    return nullptr;
  }
  env->impl_->pool = std::move(*pool);
  if (absl::Status s = db::ApplyMigrations(*env->impl_->pool, db::GatewayMigrations()); !s.ok()) {
    ADD_FAILURE() << "gateway migrations: " << s;
    return nullptr;
  }
  env->impl_->store = std::make_unique<AccessStore>(env->impl_->pool.get());
  if (auto added = env->impl_->store->SeedPrincipals(PrincipalRecordsOf(**file),
                                                     env->service_->clock().Now());
      !added.ok()) {
    ADD_FAILURE() << "principals: " << added.status();
    return nullptr;
  }
  auto registry = DbPrincipalRegistry::Load(env->impl_->store.get());
  if (!registry.ok()) {
    ADD_FAILURE() << "registry: " << registry.status();
    return nullptr;
  }
  env->impl_->registry = std::move(*registry);

  GatewayOptions g;
  g.server.listen = "127.0.0.1:0";
  g.server.drain_seconds = 1;
  if (!options.tls_cert_pem.empty()) {
    g.server.tls_cert_file = WriteTemp("server.pem", options.tls_cert_pem);
    g.server.tls_key_file = WriteTemp("server.key", options.tls_key_pem);
    if (!options.tls_client_ca_pem.empty()) {
      g.server.tls_client_ca_file = WriteTemp("client-ca.pem", options.tls_client_ca_pem);
    }
  }
  g.http.listen = "127.0.0.1:0";
  g.registry = env->impl_->registry.get();
  for (const auto& [id, principal] : (*file)->principals()) {
    g.dev_tokens[Token(id)] = id;
  }
  if (!options.jwks_json.empty()) {
    auto keys = ParseJwks(options.jwks_json);
    if (!keys.ok()) {
      ADD_FAILURE() << "jwks_json: " << keys.status();
      return nullptr;
    }
    g.jwt = std::make_unique<JwtVerifier>(*keys, JwtPolicy{options.jwt_issuer, "ntm-gateway"});
  }
  g.backends["assessment"] = env->service_->channel();
  g.backends["plans"] = env->plans_->channel();
  g.backends["registrations"] = env->registrations_->channel();
  g.backends["notifications"] = env->notifications_->channel();
  for (const auto& [backend, target] : options.backend_targets) {
    g.backends[backend] = BackendChannel(target);
  }
  g.backend_timeout = options.backend_timeout;
  g.store = env->impl_->store.get();
  g.clock = &env->service_->clock();
  // Tests make many calls quickly: no limit unless the test asks for one.
  g.rate.per_second = options.rate_per_second;
  g.rate.burst = options.rate_burst;
  auto gateway = Gateway::Start(std::move(g));
  if (!gateway.ok()) {
    ADD_FAILURE() << "gateway: " << gateway.status();
    return nullptr;
  }
  env->impl_->gateway = std::move(*gateway);
  env->grpc_port_ = env->impl_->gateway->grpc_port();
  if (options.tls_cert_pem.empty()) {
    env->channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", env->grpc_port_),
                                        grpc::InsecureChannelCredentials());
  } else {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = options.tls_root_pem;
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    env->channel_ = grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", env->grpc_port_),
                                              grpc::SslCredentials(ssl), args);
  }
  return env;
}

GatewayEnv::~GatewayEnv() {
  if (impl_ != nullptr && impl_->gateway != nullptr) {
    impl_->gateway->Shutdown();
  }
}

int GatewayEnv::http_port() const { return impl_->gateway->http_port(); }

int64_t GatewayEnv::GatewayQueryInt(const std::string& statement) {
  int64_t value = -1;
  absl::Status s = impl_->pool->WithConnection([&](sql::Connection& conn) -> absl::Status {
    std::unique_ptr<sql::Statement> st(conn.createStatement());
    std::unique_ptr<sql::ResultSet> rs(st->executeQuery(statement));
    if (rs->next()) {
      value = rs->getInt64(1);
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << statement << ": " << s;
  return value;
}

absl::Status GatewayEnv::GatewayExec(const std::string& statement) {
  return impl_->pool->WithConnection([&](sql::Connection& conn) -> absl::Status {
    std::unique_ptr<sql::Statement> st(conn.createStatement());
    st->execute(statement);
    return absl::OkStatus();
  });
}

std::unique_ptr<grpc::ClientContext> GatewayEnv::As(const std::string& principal) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!principal.empty()) {
    ctx->AddMetadata("authorization", "Bearer " + Token(principal));
  }
  return ctx;
}

}  // namespace ntm::gateway::testing
