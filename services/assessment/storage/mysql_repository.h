// MySQL/MariaDB implementations of the assessment service's repositories.
#ifndef NTM_SERVICES_ASSESSMENT_STORAGE_MYSQL_REPOSITORY_H_
#define NTM_SERVICES_ASSESSMENT_STORAGE_MYSQL_REPOSITORY_H_

#include <vector>

#include "services/assessment/storage/repository.h"
#include "services/common/db/migrations.h"
#include "services/common/db/pool.h"

namespace ntm::db {
// The service's migrations, embedded from services/assessment/migrations/ at build time.
const std::vector<Migration>& AssessmentMigrations();
}  // namespace ntm::db

namespace ntm::assessment {

class MySqlCatalogRepository : public CatalogRepository {
 public:
  explicit MySqlCatalogRepository(db::ConnectionPool* pool) : pool_(pool) {}
  absl::StatusOr<std::vector<CriteriaSet>> ListCriteriaSets() override;
  absl::StatusOr<CriteriaSet> GetCriteriaSet(absl::string_view id) override;
  absl::StatusOr<int64_t> CriteriaSetVersion(absl::string_view id) override;
  absl::StatusOr<Indicator> UpdateIndicator(absl::string_view set_id, absl::string_view code,
                                            const IndicatorDecision& decide,
                                            absl::string_view actor, absl::string_view source,
                                            absl::Time now) override;

 private:
  db::ConnectionPool* pool_;
};

class MySqlDirectoryRepository : public DirectoryRepository {
 public:
  explicit MySqlDirectoryRepository(db::ConnectionPool* pool) : pool_(pool) {}
  absl::StatusOr<Unit> GetUnit(absl::string_view code) override;
  absl::StatusOr<std::vector<Unit>> ListChildren(absl::string_view code) override;
  absl::StatusOr<std::vector<Unit>> ListUnits(absl::string_view parent,
                                              std::optional<UnitLevel> level,
                                              absl::string_view after_code, int limit) override;
  absl::StatusOr<std::vector<Unit>> AncestorsOf(absl::string_view code) override;
  absl::Status CreateUnit(const Unit& unit, absl::string_view actor) override;
  absl::StatusOr<std::vector<Agency>> ListAgencies(absl::string_view unit_code) override;
  absl::StatusOr<std::optional<Agency>> FindAgency(absl::string_view id) override;
  absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> OwnershipVersions(
      absl::string_view set_id, const std::vector<std::string>& unit_codes) override;
  absl::StatusOr<Ownership> GetOwnership(absl::string_view unit_code,
                                         absl::string_view set_id) override;
  absl::StatusOr<Ownership> UpdateOwnership(absl::string_view unit_code, absl::string_view set_id,
                                            const OwnershipDecision& decide,
                                            absl::string_view actor, absl::Time now) override;

 private:
  db::ConnectionPool* pool_;
};

class MySqlAssessmentRepository : public AssessmentRepository {
 public:
  explicit MySqlAssessmentRepository(db::ConnectionPool* pool) : pool_(pool) {}
  absl::StatusOr<Assessment> Create(const Assessment& assessment, absl::string_view request_id,
                                    absl::string_view request_hash) override;
  absl::StatusOr<Assessment> Get(const AssessmentKey& key, bool with_history) override;
  absl::StatusOr<Assessment> Latest(absl::string_view unit_code) override;
  absl::StatusOr<std::vector<Assessment>> List(const AssessmentFilter& filter) override;
  absl::StatusOr<Assessment> Update(const AssessmentKey& key, absl::string_view method,
                                    absl::string_view request_id, absl::string_view request_hash,
                                    const Decision& decide, absl::Time now) override;

 private:
  db::ConnectionPool* pool_;
};

}  // namespace ntm::assessment

#endif  // NTM_SERVICES_ASSESSMENT_STORAGE_MYSQL_REPOSITORY_H_
