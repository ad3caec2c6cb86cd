// Plans in MySQL/MariaDB: one per directive and addressed unit (held by a unique key, so two
// racing creates leave one plan), content replaced as a whole in draft or returned, transitions
// kept as history, each change with its outbox event in the same transaction.
#ifndef NTM_SERVICES_PLANS_STORAGE_PLAN_REPOSITORY_H_
#define NTM_SERVICES_PLANS_STORAGE_PLAN_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/db/pool.h"
#include "services/plans/domain/model.h"
#include "services/plans/domain/rules.h"

namespace ntm::plans {

// Which plans to list.
struct PlanFilter {
  // Plans of this unit or of units below it; empty for all.
  std::string below_unit_code;
  // Plans for this directive; empty for all.
  std::string directive_id;
  // Plans in this state; none for all.
  std::optional<PlanState> state;
};

class MySqlPlanRepository {
 public:
  explicit MySqlPlanRepository(db::ConnectionPool* pool) : pool_(pool) {}

  // Creates the draft plan of `unit_code` for a directive with `content` (already validated).
  // NOT_FOUND for an unknown directive; FAILED_PRECONDITION when the directive does not address
  // the unit; ALREADY_EXISTS when the unit has its plan for the directive.
  absl::StatusOr<Plan> Create(const std::string& directive_id, const std::string& unit_code,
                              const PlanContent& content, const std::string& actor, absl::Time now);
  // The same for a draft carrying the unit's name, its place in the unit tree and the baseline.
  absl::StatusOr<Plan> Create(const Plan& draft, const std::string& actor, absl::Time now);
  // With its history; NOT_FOUND for an unknown id.
  absl::StatusOr<Plan> Get(const std::string& id);
  // Plans matching `filter` after the plan `after_id` ("" for the first), by directive and unit
  // code, at most `limit` (0: all); without history, and with their content when asked (four
  // statements in all; one without content).
  absl::StatusOr<std::vector<Plan>> List(const PlanFilter& filter, const std::string& after_id,
                                         int limit, bool with_content = true);
  // Replaces the content of a draft or returned plan. FAILED_PRECONDITION in another state;
  // ABORTED when `expected_version` (0: any) is stale.
  absl::StatusOr<Plan> UpdateContent(const std::string& id, const PlanContent& content,
                                     int64_t expected_version, const std::string& actor,
                                     absl::Time now);
  // Submits, accepts or returns. Submission records the time and whether it is late against the
  // directive's deadline or the unit's extension, and is refused (FAILED_PRECONDITION listing
  // each difference) when the funding does not add up; a return needs a reason.
  absl::StatusOr<Plan> Transition(const std::string& id, PlanAction action,
                                  int64_t expected_version, const std::string& actor,
                                  const std::string& reason, absl::Time now);

 private:
  db::ConnectionPool* pool_;
};

}  // namespace ntm::plans

#endif  // NTM_SERVICES_PLANS_STORAGE_PLAN_REPOSITORY_H_
