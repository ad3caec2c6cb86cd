// The principal registry the gateway authenticates against: an in-memory copy of the principals
// table, reloaded by this gateway right after it changes a principal and by every replica every
// refresh interval, so a deactivation reaches every replica within that interval.
#ifndef NTM_SERVICES_GATEWAY_ACCESS_REGISTRY_H_
#define NTM_SERVICES_GATEWAY_ACCESS_REGISTRY_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "services/gateway/access/store.h"
#include "services/gateway/auth/authenticator.h"

namespace ntm::gateway {

// The principals of a principals file as records to register (AccessStore::SeedPrincipals).
std::vector<PrincipalRecord> PrincipalRecordsOf(const StaticPrincipalRegistry& file);

class DbPrincipalRegistry final : public PrincipalRegistry {
 public:
  // Loads the principals once; UNAVAILABLE when the database cannot be read.
  static absl::StatusOr<std::unique_ptr<DbPrincipalRegistry>> Load(AccessStore* store);
  ~DbPrincipalRegistry() override;

  std::optional<Principal> Find(absl::string_view id) const override;
  std::optional<Principal> FindByCertificateSubject(absl::string_view subject) const override;

  // Every principal, ordered by id.
  std::vector<PrincipalRecord> All() const;
  std::optional<PrincipalRecord> Get(absl::string_view id) const;

  // Reads the table again now.
  absl::Status Reload();
  // Reloads every `interval` in a background thread until destroyed; a failed reload keeps the
  // copy it has and is logged.
  void StartRefresh(absl::Duration interval);

 private:
  explicit DbPrincipalRegistry(AccessStore* store) : store_(store) {}

  AccessStore* store_;
  mutable absl::Mutex mu_;
  std::map<std::string, PrincipalRecord, std::less<>> by_id_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string, std::less<>> id_by_subject_ ABSL_GUARDED_BY(mu_);
  absl::Notification stop_;
  std::thread refresher_;
};

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_ACCESS_REGISTRY_H_
