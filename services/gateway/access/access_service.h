// ntm.gateway.v1.AccessService: the principal registry and the decision log, served inside the
// gateway process behind the same pipeline as every other service (it is reached only through
// the gateway's in-process channel, so the caller identity it reads was set by the gateway).
// The gateway's rule has already checked the caller's role and that the target unit is within
// the caller's unit; this service adds what the rule cannot express: which roles the caller may
// grant, and that a principal's unit never changes.
#ifndef NTM_SERVICES_GATEWAY_ACCESS_ACCESS_SERVICE_H_
#define NTM_SERVICES_GATEWAY_ACCESS_ACCESS_SERVICE_H_

#include <functional>
#include <string>
#include <vector>

#include "ntm/gateway/v1/access.grpc.pb.h"
#include "services/common/clock.h"
#include "services/common/rpc.h"
#include "services/gateway/access/registry.h"
#include "services/gateway/access/store.h"

namespace ntm::gateway {

// The unit code and its ancestors, the unit first; NOT_FOUND for an unknown unit.
using UnitChainFn = std::function<absl::StatusOr<std::vector<std::string>>(const std::string&)>;

class AccessGrpcService final : public ntm::gateway::v1::AccessService::CallbackService {
 public:
  AccessGrpcService(AccessStore* store, DbPrincipalRegistry* registry, UnitChainFn chain,
                    const Clock* clock, RpcRunner* runner)
      : store_(store),
        registry_(registry),
        chain_(std::move(chain)),
        clock_(clock),
        runner_(runner) {}

  grpc::ServerUnaryReactor* ListPrincipals(grpc::CallbackServerContext* ctx,
                                           const v1::ListPrincipalsRequest* req,
                                           v1::ListPrincipalsResponse* resp) override;
  grpc::ServerUnaryReactor* CreatePrincipal(grpc::CallbackServerContext* ctx,
                                            const v1::CreatePrincipalRequest* req,
                                            v1::CreatePrincipalResponse* resp) override;
  grpc::ServerUnaryReactor* UpdatePrincipal(grpc::CallbackServerContext* ctx,
                                            const v1::UpdatePrincipalRequest* req,
                                            v1::UpdatePrincipalResponse* resp) override;
  grpc::ServerUnaryReactor* ListDecisions(grpc::CallbackServerContext* ctx,
                                          const v1::ListDecisionsRequest* req,
                                          v1::ListDecisionsResponse* resp) override;

 private:
  absl::Status MayGrant(const Caller& caller, const std::vector<ntm::api::v1::Role>& roles) const;

  AccessStore* store_;
  DbPrincipalRegistry* registry_;
  UnitChainFn chain_;
  const Clock* clock_;
  RpcRunner* runner_;
};

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_ACCESS_ACCESS_SERVICE_H_
