// The gateway's own database: the principal registry and the decision log (migrations in
// services/gateway/migrations). The decision log is append-only, held by triggers in the schema.
#ifndef NTM_SERVICES_GATEWAY_ACCESS_STORE_H_
#define NTM_SERVICES_GATEWAY_ACCESS_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/db/migrations.h"
#include "services/common/db/pool.h"
#include "services/gateway/authz/authorizer.h"
#include "services/gateway/proxy/decision_log.h"

namespace ntm::db {
// The gateway schema's migrations, embedded in the binary.
const std::vector<Migration>& GatewayMigrations();
}  // namespace ntm::db

namespace ntm::gateway {

// A principal as stored.
struct PrincipalRecord {
  Principal principal;
  std::string display_name;
  std::string certificate_subject;
  absl::Time created_at;
  absl::Time updated_at;
  std::string updated_by;
  int64_t version = 1;
};

struct DecisionQuery {
  // Decisions whose target chain contains this unit code.
  std::string unit_code;
  // Also decisions without a target unit (for the province office).
  bool include_untargeted = false;
  std::string principal;
  std::optional<bool> allowed;
  std::optional<absl::Time> start;
  std::optional<absl::Time> end;
  // Only ids below this one (paging, newest first); 0: no bound.
  int64_t before_id = 0;
  int limit = 100;
};

struct StoredDecision {
  int64_t id = 0;
  DecisionRecord record;
};

class AccessStore final : public DecisionLog {
 public:
  explicit AccessStore(db::ConnectionPool* pool) : pool_(pool) {}

  // Every principal, for the registry's in-memory copy.
  absl::StatusOr<std::vector<PrincipalRecord>> LoadPrincipals();
  absl::StatusOr<PrincipalRecord> GetPrincipal(const std::string& id);
  // ALREADY_EXISTS naming the id or the certificate subject in use.
  absl::Status CreatePrincipal(const PrincipalRecord& record, absl::Time now,
                               const std::string& by);
  // Replaces the stored principal when its version is still `expected_version` (0: any);
  // ABORTED otherwise.
  absl::Status UpdatePrincipal(const PrincipalRecord& record, int64_t expected_version,
                               absl::Time now, const std::string& by);
  // Inserts the principals whose id is not stored yet; returns how many.
  absl::StatusOr<int> SeedPrincipals(const std::vector<PrincipalRecord>& records, absl::Time now);

  absl::Status Append(const DecisionRecord& record) override;
  absl::StatusOr<std::vector<StoredDecision>> ListDecisions(const DecisionQuery& query);

 private:
  db::ConnectionPool* pool_;
};

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_ACCESS_STORE_H_
