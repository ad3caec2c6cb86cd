// What other services ask of the plans service: a directive with its addressed units and the
// deadline that applies to each. Behind an interface so their logic can be tested without a
// server; GrpcDirectiveClient is the real one (a deadline on every call, the caller's identity
// passed on, UNAVAILABLE saying so when the plans service cannot be reached in time).
#ifndef NTM_SERVICES_PLANS_CLIENT_DIRECTIVE_CLIENT_H_
#define NTM_SERVICES_PLANS_CLIENT_DIRECTIVE_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ntm/plans/v1/directive.grpc.pb.h"
#include "services/common/caller.h"
#include "services/plans/domain/model.h"

namespace ntm::plans::client {

class DirectiveSource {
 public:
  virtual ~DirectiveSource() = default;
  // The directive `id` issued by `issuing_unit_code`, each addressed unit with its extension
  // (when it has one); NOT_FOUND for an unknown directive.
  virtual absl::StatusOr<Directive> GetDirective(const Caller& caller,
                                                 const std::string& issuing_unit_code,
                                                 const std::string& id) = 0;
};

class GrpcDirectiveClient final : public DirectiveSource {
 public:
  // `target` names the plans service, e.g. "127.0.0.1:50062"; every call gets `timeout`.
  GrpcDirectiveClient(std::shared_ptr<grpc::Channel> channel, std::string target,
                      absl::Duration timeout);
  absl::StatusOr<Directive> GetDirective(const Caller& caller, const std::string& issuing_unit_code,
                                         const std::string& id) override;

 private:
  std::string target_;
  absl::Duration timeout_;
  std::unique_ptr<ntm::plans::v1::DirectiveService::Stub> stub_;
};

}  // namespace ntm::plans::client

#endif  // NTM_SERVICES_PLANS_CLIENT_DIRECTIVE_CLIENT_H_
