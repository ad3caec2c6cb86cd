// The plan rules as pure functions: funding that adds up, the lifecycle, on time or late, where
// a unit stands on a directive, and which targets to propose first.
#ifndef NTM_SERVICES_PLANS_DOMAIN_RULES_H_
#define NTM_SERVICES_PLANS_DOMAIN_RULES_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/plans/domain/model.h"

namespace ntm::plans {

// Every way the funding does not add up, each naming the field: a negative amount, the content
// groups' sum against the stated total, the sources' sum against the stated total (with the
// difference in đồng). Empty when it adds up. Sums that would overflow are reported, not wrapped.
std::vector<std::string> FundingProblems(const Funding& funding);

enum class PlanAction { kEdit, kSubmit, kAccept, kReturn };

// OK when `action` is allowed in `state`; FAILED_PRECONDITION saying which states allow it
// otherwise. Edits and submission: draft or returned. Acceptance and return: submitted.
absl::Status CheckTransition(PlanState state, PlanAction action);
// The same for another document with this lifecycle (`what`: "registration").
absl::Status CheckTransition(PlanState state, PlanAction action, absl::string_view what);

// The state after `action` (which CheckTransition allowed).
PlanState After(PlanState state, PlanAction action);

// The deadline that applies to a unit: its extension when it has one, else the directive's.
absl::Time EffectiveDeadline(absl::Time deadline, std::optional<absl::Time> extension);

// Late when submitted after the deadline that applies (at the deadline is on time).
bool IsLate(absl::Time submitted_at, absl::Time deadline, std::optional<absl::Time> extension);

// Where a unit stands: not started without a plan; otherwise by its state, a submitted plan
// on time or late by its last submission.
SubmissionStatus Classify(const std::optional<PlanProgress>& plan, absl::Time deadline,
                          std::optional<absl::Time> extension);

// Targets for the unmet indicators (given in catalog order): the directive's focus indicators
// first, in the directive's order, then the others in catalog order. Focus indicators the
// commune has met are not proposed.
std::vector<TargetProposal> ProposeTargets(const std::vector<std::string>& unmet_in_catalog_order,
                                           const std::vector<std::string>& focus);

// Every problem of a new directive, each naming the field: id, document number, year, issue
// date and deadline (the deadline after the issue date), deliverables, focus indicator codes,
// addressed units (at least one, digits, no repeats), title. Empty when it can be stored.
std::vector<std::string> DirectiveProblems(const Directive& directive);

// OK when `unit` may get `new_deadline` with `reason`: the reason is given and the new deadline
// is later than the one that applies now. INVALID_ARGUMENT or FAILED_PRECONDITION otherwise.
absl::Status CheckExtension(absl::Time deadline, const AddressedUnit& unit, absl::Time new_deadline,
                            const std::string& reason);

// What the plan rules need to know of the criteria set and of the commune's latest assessment.
struct IndicatorFacts {
  // Every indicator code of the criteria set.
  std::set<std::string> known;
  // Those the commune met in its latest submitted assessment.
  std::set<std::string> met;
};

// Every problem of a plan's content, each naming the field ("targets[2].indicator_code: …"): a
// target on an unknown indicator, on one already met, twice on one indicator, a value target
// without a value or a negative one; a task without content or responsible body, ending before it
// starts, with a negative cost or an unknown linked indicator; negative funding amounts; texts
// over their length. Whether the funding adds up is checked at submission (FundingProblems).
std::vector<std::string> PlanContentProblems(const PlanContent& content,
                                             const IndicatorFacts& facts);

// Names for messages and tables.
const char* ContentGroupName(ContentGroup group);  // "2.1 Về quy hoạch …"
const char* FundingSourceName(FundingSource source);
const char* PlanStateName(PlanState state);
const char* PlanActionName(PlanAction action);  // "edit", "submit", "accept", "return"

}  // namespace ntm::plans

#endif  // NTM_SERVICES_PLANS_DOMAIN_RULES_H_
