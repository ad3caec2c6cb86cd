// Who still owes what: for a directive and a deliverable, each addressed commune with the
// deadline that applies to it and whether it has still not sent the deliverable. Asked of the
// plans service (plans) and the registrations service (registrations) when a reminder is due and
// again before it goes out, so a submission cancels what was pending. Behind an interface so the
// reminder logic can be tested without servers.
#ifndef NTM_SERVICES_NOTIFICATIONS_APP_OBLIGATIONS_H_
#define NTM_SERVICES_NOTIFICATIONS_APP_OBLIGATIONS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ntm/plans/v1/plan.grpc.pb.h"
#include "ntm/registrations/v1/registration.grpc.pb.h"
#include "services/notifications/domain/model.h"

namespace ntm::notifications {

struct UnitStanding {
  std::string unit_code;
  std::string display_name;
  absl::Time deadline;
  bool extended = false;
  // True while the commune has not sent the deliverable (not started, draft, returned).
  bool owes = false;
};

class ObligationSource {
 public:
  virtual ~ObligationSource() = default;
  // Every addressed unit of `directive` for `deliverable` (kPlan or kRegistration). UNAVAILABLE
  // when the service that knows cannot be reached.
  virtual absl::StatusOr<std::vector<UnitStanding>> Standing(const DirectiveInfo& directive,
                                                             const std::string& deliverable) = 0;
};

class GrpcObligationSource final : public ObligationSource {
 public:
  // Calls go to the plans and registrations services as principal `principal`, each with
  // `timeout`.
  GrpcObligationSource(std::shared_ptr<grpc::Channel> plans, std::string plans_target,
                       std::shared_ptr<grpc::Channel> registrations,
                       std::string registrations_target, absl::Duration timeout,
                       std::string principal);
  absl::StatusOr<std::vector<UnitStanding>> Standing(const DirectiveInfo& directive,
                                                     const std::string& deliverable) override;

 private:
  std::string plans_target_;
  std::string registrations_target_;
  absl::Duration timeout_;
  std::string principal_;
  std::unique_ptr<ntm::plans::v1::PlanService::Stub> plans_;
  std::unique_ptr<ntm::registrations::v1::RegistrationService::Stub> registrations_;
};

}  // namespace ntm::notifications

#endif  // NTM_SERVICES_NOTIFICATIONS_APP_OBLIGATIONS_H_
