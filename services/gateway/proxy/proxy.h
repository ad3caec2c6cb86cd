// The gateway's gRPC face: one generic handler for every method of every served service. For
// each call it authenticates the caller, reads the request through the method's compiled rule,
// looks up what the rule needs about the target, decides, logs the decision, and forwards the
// request bytes unchanged to the backend with the caller's identity and deadline. Health and
// reflection of the gateway itself are ordinary services registered beside it.
#ifndef NTM_SERVICES_GATEWAY_PROXY_PROXY_H_
#define NTM_SERVICES_GATEWAY_PROXY_PROXY_H_

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>

#include "services/common/clock.h"
#include "services/common/executor.h"
#include "services/common/metrics.h"
#include "services/gateway/auth/authenticator.h"
#include "services/gateway/authz/authorizer.h"
#include "services/gateway/authz/rule_table.h"
#include "services/gateway/proxy/target_resolver.h"

namespace ntm::gateway {

struct GatewayDeps {
  const RuleTable* rules = nullptr;
  const Authenticator* authenticator = nullptr;
  const Authorizer* authorizer = nullptr;
  TargetResolver* resolver = nullptr;
  // Backend name ("assessment", …) to its channel.
  std::map<std::string, std::shared_ptr<grpc::Channel>> backends;
  // Method ("/pkg.Service/Method") to backend name.
  std::map<std::string, std::string> backend_of_method;
  BoundedExecutor* executor = nullptr;
  Metrics* metrics = nullptr;
  const Clock* clock = nullptr;
  // Upper bound of a forwarded call's deadline when the caller sets none or a longer one.
  absl::Duration max_deadline = absl::Seconds(30);
};

class GatewayService final : public grpc::CallbackGenericService {
 public:
  explicit GatewayService(GatewayDeps deps) : deps_(std::move(deps)) {}
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override;

 private:
  GatewayDeps deps_;
};

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_PROXY_PROXY_H_
