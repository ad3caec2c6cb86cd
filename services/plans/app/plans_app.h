// The plans service's use cases: directives, commune plans prefilled from the assessment, their
// lifecycle, and the district's views (submission status, plan summary). Speaks the domain; the
// gRPC layer converts. Time comes from the injected clock.
#ifndef NTM_SERVICES_PLANS_APP_PLANS_APP_H_
#define NTM_SERVICES_PLANS_APP_PLANS_APP_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/assessment/client/assessment_client.h"
#include "services/common/caller.h"
#include "services/common/clock.h"
#include "services/plans/domain/model.h"
#include "services/plans/domain/rules.h"
#include "services/plans/storage/directive_repository.h"
#include "services/plans/storage/plan_repository.h"

namespace ntm::plans {

using assessment::client::AssessmentClient;
using assessment::client::UnitInfo;

// A plan with what its views need of its directive.
struct PlanView {
  Plan plan;
  std::string issuing_unit_code;
  // The deadline that applies to the plan's unit.
  absl::Time deadline;
};

// The sections UpdatePlan replaces: only those set.
struct PlanUpdate {
  std::optional<std::string> status_summary;
  std::optional<std::vector<Target>> targets;
  std::optional<std::vector<Task>> tasks;
  std::optional<Funding> funding;
  std::optional<std::string> solutions;
  std::optional<std::string> organisation;
};

// One addressed unit in the submission status.
struct UnitSubmissionView {
  AddressedUnit unit;
  SubmissionStatus status = SubmissionStatus::kNotStarted;
  absl::Time deadline;
  bool overdue = false;
  std::optional<Plan> plan;
};

struct SubmissionStatusView {
  Directive directive;
  absl::Time as_of;
  std::vector<UnitSubmissionView> units;
  std::map<SubmissionStatus, int> counts;
  int overdue = 0;
};

struct IndicatorTargetsView {
  std::string indicator_code;
  bool focus = false;
  std::vector<std::string> unit_codes;
  int reach_standard_count = 0;
};

struct PlanSummaryView {
  Directive directive;
  // The units whose plans were counted, by code.
  std::vector<std::string> unit_codes;
  std::vector<IndicatorTargetsView> indicators;
  std::map<ContentGroup, int64_t> by_group;
  std::map<FundingSource, int64_t> by_source;
  int64_t total_dong = 0;
  // Set when limited to one agency's indicators.
  std::string agency;
};

class PlansApp {
 public:
  PlansApp(MySqlDirectiveRepository* directives, MySqlPlanRepository* plans,
           AssessmentClient* assessment, Clock* clock)
      : directives_(directives), plans_(plans), assessment_(assessment), clock_(clock) {}

  // `d` carries the request's fields; its units only their codes (none: every commune below the
  // issuing unit).
  absl::StatusOr<Directive> CreateDirective(const Caller& caller, Directive d);
  // NOT_FOUND unless the directive exists and was issued by `issuing_unit_code`.
  absl::StatusOr<Directive> GetDirective(const std::string& issuing_unit_code,
                                         const std::string& id);
  absl::StatusOr<std::vector<Directive>> ListDirectives(const std::string& issuing_unit_code,
                                                        int year);
  absl::StatusOr<Directive> ExtendDeadline(const Caller& caller,
                                           const std::string& issuing_unit_code,
                                           const std::string& id, const std::string& unit_code,
                                           absl::Time deadline, const std::string& reason,
                                           int64_t expected_version);

  absl::StatusOr<PlanView> CreatePlan(const Caller& caller, const std::string& unit_code,
                                      const std::string& issuing_unit_code,
                                      const std::string& directive_id);
  absl::StatusOr<PlanView> GetPlan(const std::string& unit_code, const std::string& directive_id);
  // `filter.directive_id` set means the directive must exist under `issuing_unit_code`.
  absl::StatusOr<std::vector<PlanView>> ListPlans(const PlanFilter& filter,
                                                  const std::string& issuing_unit_code,
                                                  const std::string& after_id, int limit);
  absl::StatusOr<PlanView> UpdatePlan(const Caller& caller, const std::string& unit_code,
                                      const std::string& directive_id, const PlanUpdate& update,
                                      int64_t expected_version);
  absl::StatusOr<PlanView> Transition(const Caller& caller, const std::string& unit_code,
                                      const std::string& directive_id, PlanAction action,
                                      int64_t expected_version, const std::string& reason);

  absl::StatusOr<SubmissionStatusView> GetSubmissionStatus(const std::string& issuing_unit_code,
                                                           const std::string& directive_id);
  absl::StatusOr<PlanSummaryView> Summary(const Caller& caller,
                                          const std::string& issuing_unit_code,
                                          const std::string& directive_id, bool include_drafts,
                                          const std::string& agency);

 private:
  absl::StatusOr<PlanView> View(Plan plan);

  MySqlDirectiveRepository* directives_;
  MySqlPlanRepository* plans_;
  AssessmentClient* assessment_;
  Clock* clock_;
};

}  // namespace ntm::plans

#endif  // NTM_SERVICES_PLANS_APP_PLANS_APP_H_
