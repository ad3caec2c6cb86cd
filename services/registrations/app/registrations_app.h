// The registrations service's use cases: a commune's registration for a directive (its villages
// from the assessment service's directory, the directive and its deadline from the plans
// service), its lifecycle, the district's status view and its choice of one model point. Speaks
// the domain; the gRPC layer converts. Time comes from the injected clock.
#ifndef NTM_SERVICES_REGISTRATIONS_APP_REGISTRATIONS_APP_H_
#define NTM_SERVICES_REGISTRATIONS_APP_REGISTRATIONS_APP_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/assessment/client/assessment_client.h"
#include "services/common/caller.h"
#include "services/common/clock.h"
#include "services/plans/client/directive_client.h"
#include "services/registrations/storage/registration_repository.h"

namespace ntm::registrations {

// A registration with what its views need: the issuing unit of its directive, the deadline that
// applies to its unit (none when the plans service could not say), last year's changes of its
// villages, and what it still lacks.
struct RegistrationView {
  Registration registration;
  std::string issuing_unit_code;
  std::optional<absl::Time> deadline;
  std::map<std::string, PreviousChange> previous;
  std::vector<std::string> missing;
};

// The parts UpdateRegistration replaces: only those set.
struct RegistrationUpdate {
  std::optional<std::optional<ModelPoint>> model_point;
  std::optional<std::vector<VillageChange>> changes;
  std::optional<std::vector<Endorsement>> endorsements;
};

// One addressed commune in the status view.
struct UnitRegistrationView {
  std::string unit_code;
  std::string display_name;
  std::vector<Village> villages;
  std::optional<Registration> registration;
  std::vector<std::string> villages_missing;
  std::vector<std::string> missing;
  absl::Time deadline;
  bool overdue = false;
};

struct RegistrationStatusView {
  plans::Directive directive;
  absl::Time as_of;
  std::vector<UnitRegistrationView> units;
};

class RegistrationsApp {
 public:
  RegistrationsApp(MySqlRegistrationRepository* repo, plans::client::DirectiveSource* directives,
                   assessment::client::AssessmentClient* assessment, Clock* clock)
      : repo_(repo), directives_(directives), assessment_(assessment), clock_(clock) {}

  absl::StatusOr<RegistrationView> Create(const Caller& caller, const std::string& unit_code,
                                          const std::string& issuing_unit_code,
                                          const std::string& directive_id);
  absl::StatusOr<RegistrationView> Get(const Caller& caller, const std::string& unit_code,
                                       const std::string& directive_id);
  absl::StatusOr<std::vector<RegistrationView>> List(const std::string& directive_id,
                                                     const std::string& below_unit_code,
                                                     std::optional<State> state,
                                                     const std::string& after_id, int limit);
  absl::StatusOr<RegistrationView> Update(const Caller& caller, const std::string& unit_code,
                                          const std::string& directive_id,
                                          const RegistrationUpdate& update,
                                          int64_t expected_version);
  absl::StatusOr<RegistrationView> Transition(const Caller& caller, const std::string& unit_code,
                                              const std::string& directive_id,
                                              plans::PlanAction action, int64_t expected_version,
                                              const std::string& reason);
  absl::StatusOr<RegistrationStatusView> Status(const Caller& caller,
                                                const std::string& issuing_unit_code,
                                                const std::string& directive_id);
  // `registration_unit_code` set: take that commune's model point; otherwise `own`.
  absl::StatusOr<DistrictModelPoint> ChooseModelPoint(
      const Caller& caller, const std::string& issuing_unit_code, const std::string& directive_id,
      const std::optional<std::string>& registration_unit_code,
      const std::optional<ModelPoint>& own, const std::string& reason);
  absl::StatusOr<DistrictModelPoint> GetModelPoint(const std::string& issuing_unit_code,
                                                   const std::string& directive_id);

 private:
  // The stored registration, NOT_FOUND naming it; no other service asked.
  absl::StatusOr<Registration> Load(const std::string& unit_code, const std::string& directive_id);
  // The view of a stored registration; `directive` when the caller has it already.
  absl::StatusOr<RegistrationView> View(const Caller& caller, Registration r,
                                        const plans::Directive* directive);

  MySqlRegistrationRepository* repo_;
  plans::client::DirectiveSource* directives_;
  assessment::client::AssessmentClient* assessment_;
  Clock* clock_;
};

}  // namespace ntm::registrations

#endif  // NTM_SERVICES_REGISTRATIONS_APP_REGISTRATIONS_APP_H_
