// What the plans service asks of the assessment service (the unit directory, the criteria catalog,
// ownership and a commune's latest submitted assessment), behind an interface so the plan logic
// can be tested without a server. GrpcAssessmentClient is the real one: gRPC with a deadline on
// every call, the caller's identity passed on, and UNAVAILABLE (saying so) when the assessment
// service cannot be reached or does not answer in time.
#ifndef NTM_SERVICES_PLANS_APP_ASSESSMENT_CLIENT_H_
#define NTM_SERVICES_PLANS_APP_ASSESSMENT_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ntm/assessment/v1/assessment.grpc.pb.h"
#include "ntm/assessment/v1/catalog.grpc.pb.h"
#include "ntm/assessment/v1/directory.grpc.pb.h"
#include "services/common/caller.h"
#include "services/plans/domain/model.h"

namespace ntm::plans {

// A unit of the directory.
struct UnitInfo {
  std::string code;
  std::string display_name;
  bool commune = false;
  // The parent's code; empty for a province.
  std::string parent_code;
};

class AssessmentClient {
 public:
  virtual ~AssessmentClient() = default;

  // NOT_FOUND for an unknown unit.
  virtual absl::StatusOr<UnitInfo> GetUnit(const Caller& caller, const std::string& code) = 0;
  // Every commune below a unit, by code.
  virtual absl::StatusOr<std::vector<UnitInfo>> ListCommunes(const Caller& caller,
                                                             const std::string& parent_code) = 0;
  // Every indicator code of the criteria sets that apply at a unit.
  virtual absl::StatusOr<std::set<std::string>> IndicatorCodes(const Caller& caller,
                                                               const std::string& unit_code) = 0;
  // The commune's standing in its latest submitted assessment; none when it has none.
  virtual absl::StatusOr<std::optional<Baseline>> LatestBaseline(const Caller& caller,
                                                                 const std::string& unit_code) = 0;
  // The indicator codes `agency` ("agencies/{id}") owns in a unit for a criteria set.
  virtual absl::StatusOr<std::set<std::string>> OwnedIndicators(const Caller& caller,
                                                                const std::string& unit_code,
                                                                const std::string& criteria_set,
                                                                const std::string& agency) = 0;
};

class GrpcAssessmentClient final : public AssessmentClient {
 public:
  // `target` names the assessment service, e.g. "127.0.0.1:50061"; every call gets `timeout`.
  GrpcAssessmentClient(std::shared_ptr<grpc::Channel> channel, std::string target,
                       absl::Duration timeout);

  absl::StatusOr<UnitInfo> GetUnit(const Caller& caller, const std::string& code) override;
  absl::StatusOr<std::vector<UnitInfo>> ListCommunes(const Caller& caller,
                                                     const std::string& parent_code) override;
  absl::StatusOr<std::set<std::string>> IndicatorCodes(const Caller& caller,
                                                       const std::string& unit_code) override;
  absl::StatusOr<std::optional<Baseline>> LatestBaseline(const Caller& caller,
                                                         const std::string& unit_code) override;
  absl::StatusOr<std::set<std::string>> OwnedIndicators(const Caller& caller,
                                                        const std::string& unit_code,
                                                        const std::string& criteria_set,
                                                        const std::string& agency) override;

 private:
  std::unique_ptr<grpc::ClientContext> Context(const Caller& caller) const;
  // The call's status for the plans service's caller: UNAVAILABLE naming the assessment service
  // when it could not be reached or did not answer in time; its own status otherwise.
  absl::Status Outcome(const grpc::Status& status, const char* method) const;

  std::string target_;
  absl::Duration timeout_;
  std::unique_ptr<ntm::assessment::v1::DirectoryService::Stub> directory_;
  std::unique_ptr<ntm::assessment::v1::CatalogService::Stub> catalog_;
  std::unique_ptr<ntm::assessment::v1::AssessmentService::Stub> assessments_;
};

}  // namespace ntm::plans

#endif  // NTM_SERVICES_PLANS_APP_ASSESSMENT_CLIENT_H_
