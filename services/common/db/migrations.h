// Numbered SQL migrations, applied in order and recorded in the service's own schema
// (table schema_migrations). A migration that was applied is never changed: its checksum is
// verified at every start. Several replicas starting at once serialize on a named lock.
#ifndef NTM_SERVICES_COMMON_DB_MIGRATIONS_H_
#define NTM_SERVICES_COMMON_DB_MIGRATIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/common/db/pool.h"

namespace ntm::db {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// Splits a migration into statements: a statement ends with ';' at the end of a line. Lines
// starting with "--" are comments.
std::vector<std::string> SplitStatements(absl::string_view sql);

// Applies the migrations not yet recorded. Returns FAILED_PRECONDITION when an applied
// migration's text has changed or the schema is newer than this binary.
absl::Status ApplyMigrations(ConnectionPool& pool, const std::vector<Migration>& migrations);

}  // namespace ntm::db

#endif  // NTM_SERVICES_COMMON_DB_MIGRATIONS_H_
