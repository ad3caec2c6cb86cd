// Directives in MySQL/MariaDB: create, read, list, and extend one unit's deadline; each change
// writes its event to the outbox in the same transaction.
#ifndef NTM_SERVICES_PLANS_STORAGE_DIRECTIVE_REPOSITORY_H_
#define NTM_SERVICES_PLANS_STORAGE_DIRECTIVE_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/db/migrations.h"
#include "services/common/db/pool.h"
#include "services/plans/domain/model.h"

namespace ntm::db {
// The plans schema's migrations, embedded in the binary.
const std::vector<Migration>& PlansMigrations();
}  // namespace ntm::db

namespace ntm::plans {

class MySqlDirectiveRepository {
 public:
  explicit MySqlDirectiveRepository(db::ConnectionPool* pool) : pool_(pool) {}

  // Stores a directive (already validated) with its units; ALREADY_EXISTS naming the id or the
  // document number in use. Writes a "directive.created" event.
  absl::StatusOr<Directive> Create(const Directive& directive, const std::string& actor,
                                   absl::Time now);
  // NOT_FOUND for an unknown id.
  absl::StatusOr<Directive> Get(const std::string& id);
  // The directives a unit issued, for one year or all (year 0), newest deadline first.
  absl::StatusOr<std::vector<Directive>> List(const std::string& issuing_unit_code, int year);
  // Gives one addressed unit a later deadline and records the extension; NOT_FOUND for an
  // unknown directive or a unit it does not address; FAILED_PRECONDITION for a deadline not
  // later than the one that applies; ABORTED when `expected_version` (0: any) is stale. Writes a
  // "directive.deadline_extended" event.
  absl::StatusOr<Directive> ExtendDeadline(const std::string& id, const std::string& unit_code,
                                           absl::Time new_deadline, const std::string& reason,
                                           int64_t expected_version, const std::string& actor,
                                           absl::Time now);

 private:
  db::ConnectionPool* pool_;
};

}  // namespace ntm::plans

#endif  // NTM_SERVICES_PLANS_STORAGE_DIRECTIVE_REPOSITORY_H_
