#include "services/gateway/tests/gateway_env.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "services/gateway/gateway.h"

namespace ntm::gateway::testing {

struct GatewayEnv::Impl {
  std::unique_ptr<StaticPrincipalRegistry> registry;
  LogLineDecisionLog decisions;
  std::unique_ptr<Gateway> gateway;
};

std::unique_ptr<GatewayEnv> GatewayEnv::Start(const GatewayEnvOptions& options) {
  std::unique_ptr<GatewayEnv> env(new GatewayEnv());
  env->service_ = assessment::testing::ServiceEnv::Start();
  if (env->service_ == nullptr) {
    return nullptr;
  }
  env->impl_ = std::make_unique<Impl>();
  std::ifstream in(absl::StrCat(NTM_SOURCE_DIR, "/", options.principals_file));
  std::stringstream json;
  json << in.rdbuf();
  auto registry = StaticPrincipalRegistry::FromJson(json.str());
  if (!registry.ok()) {
    ADD_FAILURE() << options.principals_file << ": " << registry.status();
    return nullptr;
  }
  env->impl_->registry = std::move(*registry);

  GatewayOptions g;
  g.server.listen = "127.0.0.1:0";
  g.server.drain_seconds = 1;
  g.http.listen = "127.0.0.1:0";
  g.registry = env->impl_->registry.get();
  for (const auto& [id, principal] : env->impl_->registry->principals()) {
    g.dev_tokens[Token(id)] = id;
  }
  g.backends["assessment"] = env->service_->channel();
  g.decisions = &env->impl_->decisions;
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
  env->channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", env->grpc_port_),
                                      grpc::InsecureChannelCredentials());
  return env;
}

GatewayEnv::~GatewayEnv() {
  if (impl_ != nullptr && impl_->gateway != nullptr) {
    impl_->gateway->Shutdown();
  }
}

int GatewayEnv::http_port() const { return impl_->gateway->http_port(); }

std::unique_ptr<grpc::ClientContext> GatewayEnv::As(const std::string& principal) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!principal.empty()) {
    ctx->AddMetadata("authorization", "Bearer " + Token(principal));
  }
  return ctx;
}

}  // namespace ntm::gateway::testing
