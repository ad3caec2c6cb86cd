// Registrations in MySQL/MariaDB: one per commune and year (held by a unique key, so two racing
// creates leave one), at most one change per village and year (held by another), content
// replaced as a whole in draft or returned, transitions kept as history, each change with its
// outbox event in the same transaction; and the district's chosen model point.
#ifndef NTM_SERVICES_REGISTRATIONS_STORAGE_REGISTRATION_REPOSITORY_H_
#define NTM_SERVICES_REGISTRATIONS_STORAGE_REGISTRATION_REPOSITORY_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/db/migrations.h"
#include "services/common/db/pool.h"
#include "services/plans/domain/rules.h"
#include "services/registrations/domain/model.h"

namespace ntm::db {
// The registrations schema's migrations, embedded in the binary.
const std::vector<Migration>& RegistrationsMigrations();
}  // namespace ntm::db

namespace ntm::registrations {

// A village's change of an earlier year, shown beside this year's.
struct PreviousChange {
  int year = 0;
  std::string registration_id;
  VillageChange change;
};

// The district's model point for a directive's year.
struct DistrictModelPoint {
  std::string directive_id;
  std::string district_code;
  int year = 0;
  // The commune registration it was taken from; none when the district chose its own.
  std::optional<std::string> registration_id;
  ModelPoint model_point;
  std::string chosen_by;
  absl::Time chosen_at;
};

class MySqlRegistrationRepository {
 public:
  explicit MySqlRegistrationRepository(db::ConnectionPool* pool) : pool_(pool) {}

  // Stores a new draft (id, directive, unit, year, villages, known indicators set; no content).
  // ALREADY_EXISTS when the commune has its registration for the year.
  absl::StatusOr<Registration> Create(const Registration& draft, const std::string& actor,
                                      absl::Time now);
  // With its villages, content and history; NOT_FOUND for an unknown id.
  absl::StatusOr<Registration> Get(const std::string& id);
  // Registrations of a directive (or of every directive when empty) whose unit lies at or below
  // `below_unit_code` (every unit when empty), after `after_id` by directive and unit code, at most
  // `limit` (0: all); with villages and content, without history.
  absl::StatusOr<std::vector<Registration>> List(const std::string& directive_id,
                                                 const std::string& below_unit_code,
                                                 std::optional<State> state,
                                                 const std::string& after_id, int limit);
  // Replaces the content of a draft or returned registration whose version is still
  // `expected_version`. FAILED_PRECONDITION in another state; ABORTED when stale; ALREADY_EXISTS
  // when a village already has a change for the year in another registration.
  absl::StatusOr<Registration> UpdateContent(const std::string& id,
                                             const RegistrationContent& content,
                                             int64_t expected_version, const std::string& actor,
                                             absl::Time now);
  // Submits, accepts or returns. Submission is refused (FAILED_PRECONDITION listing each item)
  // while anything is missing, and recorded as late when `now` is after `deadline`; a return
  // needs a reason. `expected_version` 0: any.
  absl::StatusOr<Registration> Transition(const std::string& id, plans::PlanAction action,
                                          int64_t expected_version, const std::string& actor,
                                          const std::string& reason, absl::Time deadline,
                                          absl::Time now);
  // The changes the villages registered for `year`, by village code.
  absl::StatusOr<std::map<std::string, PreviousChange>> ChangesOfYear(
      const std::vector<std::string>& village_codes, int year);
  // Records the district's choice (replacing an earlier one; every choice kept with its reason).
  absl::StatusOr<DistrictModelPoint> ChooseModelPoint(const DistrictModelPoint& choice,
                                                      const std::string& reason, absl::Time now);
  // NOT_FOUND when none is chosen for the directive.
  absl::StatusOr<DistrictModelPoint> GetModelPoint(const std::string& directive_id);

 private:
  db::ConnectionPool* pool_;
};

}  // namespace ntm::registrations

#endif  // NTM_SERVICES_REGISTRATIONS_STORAGE_REGISTRATION_REPOSITORY_H_
