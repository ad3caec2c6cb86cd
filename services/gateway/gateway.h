// The gateway assembled: rules compiled from the contracts, authentication, the authorizer, the
// target look-ups, rate limits, the decision log and the call pipeline, behind a gRPC listener
// (with the gateway's own health and reflection) and a JSON-over-HTTP listener. The gateway's own
// AccessService runs on an in-process server and is reached through the same pipeline.
// `ntm-gateway` builds one from its flags; tests build one the same way.
#ifndef NTM_SERVICES_GATEWAY_GATEWAY_H_
#define NTM_SERVICES_GATEWAY_GATEWAY_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/common/server.h"
#include "services/gateway/access/access_service.h"
#include "services/gateway/access/registry.h"
#include "services/gateway/access/store.h"
#include "services/gateway/auth/authenticator.h"
#include "services/gateway/authz/rule_table.h"
#include "services/gateway/http/json_http.h"
#include "services/gateway/proxy/decision_log.h"
#include "services/gateway/proxy/pipeline.h"
#include "services/gateway/proxy/proxy.h"
#include "services/gateway/proxy/rate_limiter.h"
#include "services/gateway/proxy/target_resolver.h"

namespace ntm::gateway {

struct GatewayOptions {
  ServerOptions server;
  // The JSON face; an empty listen address turns it off.
  JsonHttpOptions http;
  // Each backend named in served_services.cc ("assessment", …) to its channel.
  std::map<std::string, std::shared_ptr<grpc::Channel>> backends;
  // The gateway's database (principals and the decision log) and the registry read from it.
  // Both must outlive the gateway.
  AccessStore* store = nullptr;
  DbPrincipalRegistry* registry = nullptr;
  // Development token → principal id; local run and tests only.
  std::map<std::string, std::string> dev_tokens;
  std::unique_ptr<JwtVerifier> jwt;
  RateLimit rate;
  // See GatewayDeps::backend_timeout.
  absl::Duration backend_timeout = absl::Seconds(10);
  // Must outlive the gateway.
  const Clock* clock = nullptr;
};

class Gateway {
 public:
  // Compiles the rules, starts both listeners. FAILED_PRECONDITION when a method has no valid
  // rule or a served backend has no channel; UNAVAILABLE when a listener cannot bind.
  static absl::StatusOr<std::unique_ptr<Gateway>> Start(GatewayOptions options);
  ~Gateway();

  int grpc_port() const { return host_->port(); }
  int http_port() const { return http_ == nullptr ? 0 : http_->port(); }
  const RuleTable& rules() const { return rules_; }
  ServiceHost& host() { return *host_; }

  // Stops taking calls and drains both listeners. Idempotent.
  void Shutdown();

 private:
  explicit Gateway(RuleTable rules) : rules_(std::move(rules)) {}

  RuleTable rules_;
  std::unique_ptr<Authenticator> authenticator_;
  RuleAuthorizer authorizer_;
  std::unique_ptr<DirectoryTargetResolver> resolver_;
  std::unique_ptr<RateLimiter> rate_limiter_;
  std::unique_ptr<ServiceHost> host_;
  // The gateway's own services, reached through an in-process channel like any backend.
  std::unique_ptr<AccessGrpcService> access_;
  std::unique_ptr<grpc::Server> internal_;
  std::unique_ptr<CallPipeline> pipeline_;
  std::unique_ptr<GatewayService> service_;
  std::unique_ptr<JsonHttpServer> http_;
};

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_GATEWAY_H_
