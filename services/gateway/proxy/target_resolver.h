// What the gateway looks up about a request's target before deciding: the chain of units above
// the target unit (cached: a unit's parent never changes), and, only for a steering member's call
// that touches indicators, the owners of those indicators in the target (never cached, so a
// revoked ownership stops mutations at once). Backed by the assessment service's directory.
#ifndef NTM_SERVICES_GATEWAY_PROXY_TARGET_RESOLVER_H_
#define NTM_SERVICES_GATEWAY_PROXY_TARGET_RESOLVER_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "ntm/assessment/v1/assessment.grpc.pb.h"
#include "ntm/assessment/v1/catalog.grpc.pb.h"
#include "ntm/assessment/v1/directory.grpc.pb.h"
#include "services/gateway/authz/authorizer.h"

namespace ntm::gateway {

class TargetResolver {
 public:
  virtual ~TargetResolver() = default;
  virtual absl::StatusOr<TargetContext> Resolve(const Principal& principal,
                                                const CompiledRule& rule, const RequestFacts& facts,
                                                const google::protobuf::Message& request) = 0;
};

class DirectoryTargetResolver final : public TargetResolver {
 public:
  explicit DirectoryTargetResolver(std::shared_ptr<grpc::Channel> assessment);
  absl::StatusOr<TargetContext> Resolve(const Principal& principal, const CompiledRule& rule,
                                        const RequestFacts& facts,
                                        const google::protobuf::Message& request) override;

  // The unit code and its ancestors' codes, the unit first; NOT_FOUND for an unknown unit.
  absl::StatusOr<std::vector<std::string>> Chain(const std::string& unit);

 private:
  absl::StatusOr<std::string> CriteriaSetOf(const RequestFacts& facts,
                                            const google::protobuf::Message& request);

  std::unique_ptr<ntm::assessment::v1::DirectoryService::Stub> directory_;
  std::unique_ptr<ntm::assessment::v1::AssessmentService::Stub> assessments_;
  std::unique_ptr<ntm::assessment::v1::CatalogService::Stub> catalog_;
  absl::Mutex mu_;
  std::map<std::string, std::vector<std::string>> chains_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_PROXY_TARGET_RESOLVER_H_
