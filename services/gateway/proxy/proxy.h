// The gateway's gRPC face: one generic handler for every method of every served service. It
// reads the request, hands it to the call pipeline on the executor (look-ups may block), and
// writes back what the backend answered. Health and reflection of the gateway itself are ordinary
// services registered beside it.
#ifndef NTM_SERVICES_GATEWAY_PROXY_PROXY_H_
#define NTM_SERVICES_GATEWAY_PROXY_PROXY_H_

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include "services/common/executor.h"
#include "services/gateway/proxy/pipeline.h"

namespace ntm::gateway {

class GatewayService final : public grpc::CallbackGenericService {
 public:
  // Both must outlive the service.
  GatewayService(const CallPipeline* pipeline, BoundedExecutor* executor)
      : pipeline_(pipeline), executor_(executor) {}
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override;

 private:
  const CallPipeline* pipeline_;
  BoundedExecutor* executor_;
};

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_PROXY_PROXY_H_
