// Storage interfaces of the assessment service. The MySQL implementations are in
// mysql_repository.h; the rules in domain/ never see SQL.
#ifndef NTM_SERVICES_ASSESSMENT_STORAGE_REPOSITORY_H_
#define NTM_SERVICES_ASSESSMENT_STORAGE_REPOSITORY_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/assessment/domain/model.h"

namespace ntm::assessment {

class CatalogRepository {
 public:
  virtual ~CatalogRepository() = default;

  // Every edition with its content, ordered by first year, newest first.
  virtual absl::StatusOr<std::vector<CriteriaSet>> ListCriteriaSets() = 0;
  // NOT_FOUND when unknown.
  virtual absl::StatusOr<CriteriaSet> GetCriteriaSet(absl::string_view id) = 0;
  // The edition's version, cheap; NOT_FOUND when unknown.
  virtual absl::StatusOr<int64_t> CriteriaSetVersion(absl::string_view id) = 0;

  // Reads the indicator under a lock, lets `decide` return its new content (or an error that
  // leaves everything unchanged), then stores it, bumps the indicator's and the edition's
  // versions and records the change with `actor`, `source` and the detail `decide` wrote.
  using IndicatorDecision =
      std::function<absl::StatusOr<Indicator>(const Indicator& current, std::string* detail)>;
  virtual absl::StatusOr<Indicator> UpdateIndicator(absl::string_view set_id,
                                                    absl::string_view code,
                                                    const IndicatorDecision& decide,
                                                    absl::string_view actor,
                                                    absl::string_view source, absl::Time now) = 0;
};

class DirectoryRepository {
 public:
  virtual ~DirectoryRepository() = default;

  virtual absl::StatusOr<Unit> GetUnit(absl::string_view code) = 0;
  virtual absl::StatusOr<std::vector<Unit>> ListChildren(absl::string_view code) = 0;
  // Descendants of `parent` (every unit when empty) of `level` (any when nullopt), ordered by
  // code, starting after `after_code`, at most `limit`.
  virtual absl::StatusOr<std::vector<Unit>> ListUnits(absl::string_view parent,
                                                      std::optional<UnitLevel> level,
                                                      absl::string_view after_code, int limit) = 0;
  // The unit and its ancestors, the unit first; NOT_FOUND when unknown.
  virtual absl::StatusOr<std::vector<Unit>> AncestorsOf(absl::string_view code) = 0;
  // ALREADY_EXISTS when the code is taken.
  virtual absl::Status CreateUnit(const Unit& unit, absl::string_view actor) = 0;

  virtual absl::StatusOr<std::vector<Agency>> ListAgencies(absl::string_view unit_code) = 0;
  virtual absl::StatusOr<std::optional<Agency>> FindAgency(absl::string_view id) = 0;

  // The ownership versions of a criteria set among `unit_codes`: (unit code, version) for those
  // that have assignments, in no particular order. One cheap query.
  virtual absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> OwnershipVersions(
      absl::string_view set_id, const std::vector<std::string>& unit_codes) = 0;
  // The ownership of a criteria set in a unit (version 0 and nothing assigned when none).
  virtual absl::StatusOr<Ownership> GetOwnership(absl::string_view unit_code,
                                                 absl::string_view set_id) = 0;
  // Reads the ownership under a lock, lets `decide` return the assignments to make (an empty
  // agency_id removes one) or an error, applies them and bumps the version.
  using OwnershipDecision =
      std::function<absl::StatusOr<std::vector<OwnershipAssignment>>(const Ownership& current)>;
  virtual absl::StatusOr<Ownership> UpdateOwnership(absl::string_view unit_code,
                                                    absl::string_view set_id,
                                                    const OwnershipDecision& decide,
                                                    absl::string_view actor, absl::Time now) = 0;
};

struct AssessmentFilter {
  std::vector<std::string> unit_codes;  // empty: none
  std::optional<absl::CivilDay> as_of;
  std::optional<AssessmentState> state;
  // Keyset paging: assessments strictly after (as_of descending, unit_code ascending).
  std::optional<std::pair<absl::CivilDay, std::string>> after;
  int limit = 100;
  bool with_content = false;  // values and reviews
};

class AssessmentRepository {
 public:
  virtual ~AssessmentRepository() = default;

  // ALREADY_EXISTS when the unit has an assessment as of that date. With a request id, a retry
  // of the same request returns the assessment it created. Writes return the assessment without
  // its history (Get gives it), so a response does not grow with every change.
  virtual absl::StatusOr<Assessment> Create(const Assessment& assessment,
                                            absl::string_view request_id,
                                            absl::string_view request_hash) = 0;
  // NOT_FOUND when absent. With history when asked.
  virtual absl::StatusOr<Assessment> Get(const AssessmentKey& key, bool with_history) = 0;
  // The latest assessment of a unit by as-of date; NOT_FOUND when it has none.
  virtual absl::StatusOr<Assessment> Latest(absl::string_view unit_code) = 0;
  virtual absl::StatusOr<std::vector<Assessment>> List(const AssessmentFilter& filter) = 0;

  // Reads the assessment under a lock and lets `decide` return a change or an error; applies
  // the change, bumps the version and records the event, all in one transaction. With a request
  // id already used by the same request, returns the current assessment and changes nothing;
  // used by a different request (another hash), ALREADY_EXISTS.
  using Decision = std::function<absl::StatusOr<AssessmentChange>(const Assessment& current)>;
  virtual absl::StatusOr<Assessment> Update(const AssessmentKey& key, absl::string_view method,
                                            absl::string_view request_id,
                                            absl::string_view request_hash, const Decision& decide,
                                            absl::Time now) = 0;
};

}  // namespace ntm::assessment

#endif  // NTM_SERVICES_ASSESSMENT_STORAGE_REPOSITORY_H_
