// Runs unary handlers of the gRPC callback API: the blocking body goes to the bounded executor,
// never into the reaction itself; the call is measured, logged, and its absl::Status mapped to a
// gRPC status in one place.
#ifndef NTM_SERVICES_COMMON_RPC_H_
#define NTM_SERVICES_COMMON_RPC_H_

#include <grpcpp/grpcpp.h>

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/caller.h"
#include "services/common/executor.h"
#include "services/common/metrics.h"

namespace ntm {

// Reads the caller's identity from the request metadata.
Caller CallerFromContext(const grpc::CallbackServerContext& ctx);

class RpcRunner {
 public:
  RpcRunner(BoundedExecutor* executor, Metrics* metrics) : executor_(executor), metrics_(metrics) {}

  // `body` is called on the executor with the caller and returns the call's status; the
  // response message must be filled in by then.
  template <typename Body>
  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* ctx, absl::string_view method,
                                Body body) {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    const absl::Time start = absl::Now();
    std::string name(method);
    bool queued =
        executor_->TrySubmit([this, ctx, reactor, start, name, body = std::move(body)]() mutable {
          absl::Status status;
          if (ctx->IsCancelled()) {
            status = absl::CancelledError("the call was cancelled before it ran");
          } else if (ctx->deadline() < std::chrono::system_clock::now()) {
            status = absl::DeadlineExceededError("the deadline passed before the call ran");
          } else {
            status = body(CallerFromContext(*ctx));
          }
          Finish(reactor, name, start, CallerFromContext(*ctx), status);
        });
    if (!queued) {
      Finish(reactor, name, start, CallerFromContext(*ctx),
             absl::UnavailableError("the server is overloaded or shutting down; retry later"));
    }
    return reactor;
  }

 private:
  void Finish(grpc::ServerUnaryReactor* reactor, const std::string& method, absl::Time start,
              const Caller& caller, const absl::Status& status);

  BoundedExecutor* executor_;
  Metrics* metrics_;
};

}  // namespace ntm

#endif  // NTM_SERVICES_COMMON_RPC_H_
