// One call through the gateway, whatever it came in on (gRPC or JSON over HTTP): authenticate the
// caller, apply the principal's rate limit, read the request through the method's compiled rule,
// look up what the rule needs about the target, decide, record the decision, and forward the
// request bytes to the backend with the caller's identity and a capped deadline.
#ifndef NTM_SERVICES_GATEWAY_PROXY_PIPELINE_H_
#define NTM_SERVICES_GATEWAY_PROXY_PIPELINE_H_

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "services/common/clock.h"
#include "services/common/metrics.h"
#include "services/gateway/auth/authenticator.h"
#include "services/gateway/authz/authorizer.h"
#include "services/gateway/authz/rule_table.h"
#include "services/gateway/proxy/decision_log.h"
#include "services/gateway/proxy/rate_limiter.h"
#include "services/gateway/proxy/target_resolver.h"

namespace ntm::gateway {

struct GatewayDeps {
  const RuleTable* rules = nullptr;
  const Authenticator* authenticator = nullptr;
  const Authorizer* authorizer = nullptr;
  TargetResolver* resolver = nullptr;
  DecisionLog* decisions = nullptr;
  RateLimiter* rate_limiter = nullptr;  // null: no limit
  // Backend name ("assessment", …) to its channel.
  std::map<std::string, std::shared_ptr<grpc::Channel>> backends;
  // Method ("/pkg.Service/Method") to backend name.
  std::map<std::string, std::string> backend_of_method;
  Metrics* metrics = nullptr;
  const Clock* clock = nullptr;
  // The longest a forwarded unary call waits for its backend. When it runs out before the
  // caller's own deadline, the gateway answers UNAVAILABLE naming the backend (a service cut off
  // or stuck), not DEADLINE_EXCEEDED, so callers know to retry later.
  absl::Duration backend_timeout = absl::Seconds(10);
};

struct CallInput {
  // "/package.Service/Method".
  std::string method;
  Credentials credentials;
  // The serialized request message.
  std::string request;
  // Set instead of `request` when the transport could not read the request (e.g. malformed
  // JSON): reported after authentication, so an anonymous caller learns nothing about it.
  absl::Status request_error;
  std::chrono::system_clock::time_point deadline = std::chrono::system_clock::time_point::max();
  // "grpc" or "http", for the decision log.
  std::string transport;
};

struct CallOutput {
  grpc::Status status;
  // The serialized response message when `status` is OK.
  std::string response;
  // For RESOURCE_EXHAUSTED from the rate limit: when to retry.
  absl::Duration retry_after;
};

class CallPipeline {
 public:
  explicit CallPipeline(GatewayDeps deps);

  // Runs the call. The checks run on the calling thread and may block on look-ups (call from an
  // executor or a transport's worker thread, never from a gRPC event thread); `done` is called
  // exactly once, on the calling thread or on a gRPC thread when the backend answers.
  void Run(CallInput input, std::function<void(CallOutput)> done) const;

  const RuleTable& rules() const { return *deps_.rules; }

  // Server-streaming methods (WatchNotifications) are not forwarded by Run: the gRPC face checks
  // them with Authorize and relays the stream itself.
  bool IsServerStreaming(const std::string& method) const;
  // The checks of Run for a server-streaming call: the caller may make it. Sets the caller and
  // the backend's stub.
  absl::Status Authorize(const CallInput& input, Principal* principal, grpc::GenericStub** stub,
                         absl::Duration* retry_after) const;
  // Records a finished stream in the metrics.
  void RecordStream(const std::string& method, const grpc::Status& status,
                    absl::Duration elapsed) const;

 private:
  struct Forwarded;
  absl::Status Check(const CallInput& input, const CompiledRule& rule, Principal* principal,
                     absl::Duration* retry_after) const;
  void Forward(const CallInput& input, const std::string& backend, const Principal& principal,
               std::function<void(CallOutput)> done) const;

  GatewayDeps deps_;
  std::map<std::string, std::unique_ptr<grpc::GenericStub>> stubs_;
};

// The serialized bytes of a gRPC byte buffer.
std::string BufferBytes(const grpc::ByteBuffer& buffer);

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_PROXY_PIPELINE_H_
