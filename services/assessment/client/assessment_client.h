// What other services ask of the assessment service (the unit directory, the criteria catalog,
// ownership and a commune's latest submitted assessment), behind an interface so their logic
// can be tested without a server. GrpcAssessmentClient is the real one: gRPC with a deadline on
// every call, the caller's identity passed on, and UNAVAILABLE (saying so) when the assessment
// service cannot be reached or does not answer in time.
#ifndef NTM_SERVICES_ASSESSMENT_CLIENT_ASSESSMENT_CLIENT_H_
#define NTM_SERVICES_ASSESSMENT_CLIENT_ASSESSMENT_CLIENT_H_

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

namespace ntm::assessment::client {

// A unit of the directory.
struct UnitInfo {
  std::string code;
  std::string display_name;
  bool commune = false;
  // The parent's code; empty for a province.
  std::string parent_code;
};

// A commune's standing in one submitted assessment.
struct Standing {
  // "units/03424/assessments/2023-12-31".
  std::string assessment;
  // "criteriaSets/lai-chau-2022".
  std::string criteria_set;
  int criteria_met = 0;
  int criteria_total = 0;
  // Every indicator code of the criteria set, in catalog order.
  std::vector<std::string> known;
  // Those the commune met.
  std::vector<std::string> met;
  // Those it did not meet (not met, or without data), in catalog order.
  std::vector<std::string> not_met;
};

class AssessmentClient {
 public:
  virtual ~AssessmentClient() = default;

  // NOT_FOUND for an unknown unit.
  virtual absl::StatusOr<UnitInfo> GetUnit(const Caller& caller, const std::string& code) = 0;
  // Every commune below a unit, by code.
  virtual absl::StatusOr<std::vector<UnitInfo>> ListCommunes(const Caller& caller,
                                                             const std::string& parent_code) = 0;
  // Every village of a commune, by code.
  virtual absl::StatusOr<std::vector<UnitInfo>> ListVillages(const Caller& caller,
                                                             const std::string& commune_code) = 0;
  // Every indicator code of the criteria sets that apply at a unit.
  virtual absl::StatusOr<std::set<std::string>> IndicatorCodes(const Caller& caller,
                                                               const std::string& unit_code) = 0;
  // The commune's standing in its latest submitted assessment; none when it has none.
  virtual absl::StatusOr<std::optional<Standing>> LatestStanding(const Caller& caller,
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
  absl::StatusOr<std::vector<UnitInfo>> ListVillages(const Caller& caller,
                                                     const std::string& commune_code) override;
  absl::StatusOr<std::set<std::string>> IndicatorCodes(const Caller& caller,
                                                       const std::string& unit_code) override;
  absl::StatusOr<std::optional<Standing>> LatestStanding(const Caller& caller,
                                                         const std::string& unit_code) override;
  absl::StatusOr<std::set<std::string>> OwnedIndicators(const Caller& caller,
                                                        const std::string& unit_code,
                                                        const std::string& criteria_set,
                                                        const std::string& agency) override;

 private:
  std::unique_ptr<grpc::ClientContext> Context(const Caller& caller) const;
  // Every unit of `level` below `parent_code`, by code.
  absl::StatusOr<std::vector<UnitInfo>> ListBelow(const Caller& caller,
                                                  const std::string& parent_code,
                                                  ntm::assessment::v1::UnitLevel level);
  // The call's status for the plans service's caller: UNAVAILABLE naming the assessment service
  // when it could not be reached or did not answer in time; its own status otherwise.
  absl::Status Outcome(const grpc::Status& status, const char* method) const;

  std::string target_;
  absl::Duration timeout_;
  std::unique_ptr<ntm::assessment::v1::DirectoryService::Stub> directory_;
  std::unique_ptr<ntm::assessment::v1::CatalogService::Stub> catalog_;
  std::unique_ptr<ntm::assessment::v1::AssessmentService::Stub> assessments_;
};

}  // namespace ntm::assessment::client

#endif  // NTM_SERVICES_ASSESSMENT_CLIENT_ASSESSMENT_CLIENT_H_
