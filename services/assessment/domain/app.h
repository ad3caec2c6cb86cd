// The assessment service's use cases, in domain terms: each method checks its arguments, reads
// through the repositories, applies the rules, and returns values or a precise status. The gRPC
// layer (api/) only converts messages; the storage layer only runs SQL.
#ifndef NTM_SERVICES_ASSESSMENT_DOMAIN_APP_H_
#define NTM_SERVICES_ASSESSMENT_DOMAIN_APP_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/assessment/domain/evaluation.h"
#include "services/assessment/domain/model.h"
#include "services/assessment/domain/rules.h"
#include "services/assessment/storage/repository.h"
#include "services/common/clock.h"

namespace ntm::assessment {

using CriteriaSetPtr = std::shared_ptr<const CriteriaSet>;

// Caches editions by version: one cheap query tells whether the cached copy is current, so an
// edit made through any replica is seen at once.
class CatalogCache {
 public:
  explicit CatalogCache(CatalogRepository* repo) : repo_(repo) {}
  absl::StatusOr<CriteriaSetPtr> Get(absl::string_view id);

 private:
  CatalogRepository* repo_;
  absl::Mutex mu_;
  std::map<std::string, CriteriaSetPtr, std::less<>> sets_ ABSL_GUARDED_BY(mu_);
};

// Caches what changes rarely and is read on every status call: the chain of ancestors of a unit
// (a unit's parent never changes once created) and ownership tables by version (one cheap
// query per call tells whether the cached table is current, so a revoked ownership takes effect
// at once on every replica).
class DirectoryCache {
 public:
  explicit DirectoryCache(DirectoryRepository* repo) : repo_(repo) {}
  // The unit first, then its parent, up to the province.
  absl::StatusOr<std::vector<Unit>> Ancestors(absl::string_view code);
  // The ownership of `set_id` that applies to the unit: that of the nearest unit of its chain
  // (itself included) that has assignments; empty when none has.
  absl::StatusOr<Ownership> OwnershipFor(absl::string_view code, absl::string_view set_id);

 private:
  DirectoryRepository* repo_;
  absl::Mutex mu_;
  std::map<std::string, std::vector<Unit>, std::less<>> ancestors_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, Ownership> ownerships_ ABSL_GUARDED_BY(mu_);
};

struct IndicatorUpdate {
  std::optional<std::string> title_vi;
  std::optional<std::string> title_en;
  std::optional<std::string> unit;
  std::optional<bool> wording_verified;
  std::optional<std::vector<Threshold>> thresholds;  // replaces the years listed
};

struct UnitWithChildren {
  Unit unit;
  std::vector<Unit> children;
};

struct OwnershipView {
  Ownership ownership;
  std::vector<std::pair<const Indicator*, std::string>> indicator_owners;  // catalog order
  CriteriaSetPtr set;
};

struct CommuneStanding {
  Unit unit;
  Assessment assessment;
  CriteriaSetPtr set;
  Standing standing;
};

struct MatrixRowView {
  Unit unit;
  std::optional<Assessment> assessment;
  std::optional<Standing> standing;
};

struct DistrictMatrixView {
  Unit unit;
  absl::CivilDay as_of;
  CriteriaSetPtr set;  // null when no commune has an assessment
  std::vector<MatrixRowView> rows;
  bool uses_demo_thresholds = false;
};

struct AssessmentPage {
  std::vector<Assessment> assessments;
  std::optional<std::pair<absl::CivilDay, std::string>> next;  // where the next page starts
};

class AssessmentApp {
 public:
  AssessmentApp(CatalogRepository* catalog, DirectoryRepository* directory,
                AssessmentRepository* assessments, const Clock* clock)
      : catalog_repo_(catalog),
        cache_(catalog),
        directory_(directory),
        directory_cache_(directory),
        assessments_(assessments),
        clock_(clock) {}

  // Catalog.
  absl::StatusOr<std::vector<CriteriaSet>> ListCriteriaSets(absl::string_view scope_unit);
  absl::StatusOr<CriteriaSetPtr> GetCriteriaSet(absl::string_view id);
  absl::StatusOr<Indicator> UpdateIndicator(absl::string_view set_id, absl::string_view code,
                                            const IndicatorUpdate& update, absl::string_view etag,
                                            absl::string_view source, const Actor& actor);

  // Directory.
  absl::StatusOr<UnitWithChildren> GetUnit(absl::string_view code);
  absl::StatusOr<std::vector<Unit>> ListUnits(absl::string_view parent,
                                              std::optional<UnitLevel> level,
                                              absl::string_view after_code, int limit);
  absl::StatusOr<Unit> CreateUnit(absl::string_view parent_code, const Unit& unit,
                                  const Actor& actor);
  absl::StatusOr<std::vector<Agency>> ListAgencies(absl::string_view unit_code);
  absl::StatusOr<OwnershipView> ListOwnerships(absl::string_view unit_code,
                                               absl::string_view set_id,
                                               absl::string_view agency_id);
  absl::StatusOr<OwnershipView> UpdateOwnerships(absl::string_view unit_code,
                                                 absl::string_view set_id,
                                                 const std::vector<OwnershipAssignment>& changes,
                                                 absl::string_view etag, const Actor& actor);

  // Assessments.
  absl::StatusOr<Assessment> CreateAssessment(absl::string_view unit_code,
                                              absl::string_view as_of_text,
                                              absl::string_view set_id,
                                              absl::string_view request_id,
                                              absl::string_view request_hash, const Actor& actor);
  absl::StatusOr<Assessment> GetAssessment(const AssessmentKey& key);
  absl::StatusOr<AssessmentPage> ListAssessments(
      absl::string_view parent, std::optional<absl::CivilDay> as_of,
      std::optional<AssessmentState> state, int limit,
      std::optional<std::pair<absl::CivilDay, std::string>> after);
  absl::StatusOr<Assessment> SetIndicatorValues(const AssessmentKey& key,
                                                const std::vector<ValueInput>& inputs,
                                                absl::string_view etag,
                                                absl::string_view request_id,
                                                absl::string_view request_hash, const Actor& actor);
  absl::StatusOr<Assessment> SubmitAssessment(const AssessmentKey& key, absl::string_view etag,
                                              const Actor& actor);
  absl::StatusOr<Assessment> ReviewCriterion(const AssessmentKey& key,
                                             absl::string_view criterion_code,
                                             std::optional<Verdict> verdict,
                                             absl::string_view reason, absl::string_view etag,
                                             const Actor& actor);
  absl::StatusOr<CommuneStanding> GetCommuneStatus(absl::string_view unit_code,
                                                   std::optional<absl::CivilDay> as_of);
  absl::StatusOr<DistrictMatrixView> GetDistrictMatrix(absl::string_view unit_code,
                                                       absl::CivilDay as_of);

 private:
  absl::StatusOr<Unit> RequireCommune(absl::string_view field, absl::string_view code);
  absl::StatusOr<std::vector<std::string>> CommunesUnder(const Unit& unit);

  CatalogRepository* catalog_repo_;
  CatalogCache cache_;
  DirectoryRepository* directory_;
  DirectoryCache directory_cache_;
  AssessmentRepository* assessments_;
  const Clock* clock_;
};

}  // namespace ntm::assessment

#endif  // NTM_SERVICES_ASSESSMENT_DOMAIN_APP_H_
