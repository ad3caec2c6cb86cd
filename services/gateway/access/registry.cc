#include "services/gateway/access/registry.h"

#include "services/common/log.h"
#include "services/common/status.h"

namespace ntm::gateway {

std::vector<PrincipalRecord> PrincipalRecordsOf(const StaticPrincipalRegistry& file) {
  std::vector<PrincipalRecord> records;
  for (const auto& [id, principal] : file.principals()) {
    PrincipalRecord r;
    r.principal = principal;
    r.certificate_subject = file.CertificateSubjectOf(id);
    r.display_name = file.NoteOf(id);
    records.push_back(std::move(r));
  }
  return records;
}

absl::StatusOr<std::unique_ptr<DbPrincipalRegistry>> DbPrincipalRegistry::Load(AccessStore* store) {
  std::unique_ptr<DbPrincipalRegistry> r(new DbPrincipalRegistry(store));
  NTM_RETURN_IF_ERROR(r->Reload());
  return r;
}

DbPrincipalRegistry::~DbPrincipalRegistry() {
  stop_.Notify();
  if (refresher_.joinable()) {
    refresher_.join();
  }
}

absl::Status DbPrincipalRegistry::Reload() {
  NTM_ASSIGN_OR_RETURN(std::vector<PrincipalRecord> records, store_->LoadPrincipals());
  std::map<std::string, PrincipalRecord, std::less<>> by_id;
  std::map<std::string, std::string, std::less<>> id_by_subject;
  for (PrincipalRecord& r : records) {
    if (!r.certificate_subject.empty()) {
      id_by_subject[r.certificate_subject] = r.principal.id;
    }
    std::string id = r.principal.id;
    by_id.emplace(std::move(id), std::move(r));
  }
  absl::MutexLock lock(&mu_);
  by_id_ = std::move(by_id);
  id_by_subject_ = std::move(id_by_subject);
  return absl::OkStatus();
}

void DbPrincipalRegistry::StartRefresh(absl::Duration interval) {
  refresher_ = std::thread([this, interval] {
    while (!stop_.WaitForNotificationWithTimeout(interval)) {
      if (absl::Status s = Reload(); !s.ok()) {
        log::Warn("principal registry reload failed; keeping the last copy",
                  {{"error", s.ToString()}});
      }
    }
  });
}

std::optional<Principal> DbPrincipalRegistry::Find(absl::string_view id) const {
  absl::MutexLock lock(&mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) {
    return std::nullopt;
  }
  return it->second.principal;
}

std::optional<Principal> DbPrincipalRegistry::FindByCertificateSubject(
    absl::string_view subject) const {
  absl::MutexLock lock(&mu_);
  auto it = id_by_subject_.find(subject);
  if (it == id_by_subject_.end()) {
    return std::nullopt;
  }
  auto p = by_id_.find(it->second);
  if (p == by_id_.end()) {
    return std::nullopt;
  }
  return p->second.principal;
}

std::vector<PrincipalRecord> DbPrincipalRegistry::All() const {
  absl::MutexLock lock(&mu_);
  std::vector<PrincipalRecord> out;
  for (const auto& [id, r] : by_id_) {
    out.push_back(r);
  }
  return out;
}

std::optional<PrincipalRecord> DbPrincipalRegistry::Get(absl::string_view id) const {
  absl::MutexLock lock(&mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace ntm::gateway
