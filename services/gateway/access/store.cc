#include "services/gateway/access/store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/db/sql.h"
#include "services/common/status.h"

namespace ntm::gateway {
namespace {

using db::GetOptStr;
using db::GetStr;
using db::GetTime;
using db::Query;

std::string JoinRoles(const std::vector<ntm::api::v1::Role>& roles) {
  std::vector<std::string> names;
  for (auto r : roles) {
    names.push_back(ntm::api::v1::Role_Name(r));
  }
  return absl::StrJoin(names, ",");
}

std::vector<ntm::api::v1::Role> SplitRoles(const std::string& text) {
  std::vector<ntm::api::v1::Role> roles;
  for (absl::string_view name : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    ntm::api::v1::Role r;
    if (ntm::api::v1::Role_Parse(std::string(name), &r)) {
      roles.push_back(r);
    }
  }
  return roles;
}

constexpr char kPrincipalColumns[] =
    "id, unit_code, agency_id, roles, display_name, certificate_subject, active, created_at, "
    "updated_at, updated_by, version";

PrincipalRecord ReadPrincipal(const sql::ResultSet& rs) {
  PrincipalRecord r;
  r.principal.id = GetStr(rs, 1);
  r.principal.unit_code = GetStr(rs, 2);
  r.principal.agency_id = GetStr(rs, 3);
  r.principal.roles = SplitRoles(GetStr(rs, 4));
  r.display_name = GetStr(rs, 5);
  r.certificate_subject = GetOptStr(rs, 6).value_or("");
  r.principal.active = rs.getBoolean(7);
  r.created_at = GetTime(rs, 8);
  r.updated_at = GetTime(rs, 9);
  r.updated_by = GetStr(rs, 10);
  r.version = rs.getInt64(11);
  return r;
}

Query& Subject(Query& q, const std::string& subject) {
  return subject.empty() ? q.Null() : q.Str(subject);
}

void RecordChange(sql::Connection& conn, const PrincipalRecord& r, absl::Time now,
                  const std::string& by, const char* kind) {
  Query q(conn,
          "INSERT INTO principal_changes (principal_id, changed_at, changed_by, change_kind, "
          "unit_code, agency_id, roles, certificate_subject, active) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.Str(r.principal.id)
      .Time(now)
      .Str(by)
      .Str(kind)
      .Str(r.principal.unit_code)
      .Str(r.principal.agency_id)
      .Str(JoinRoles(r.principal.roles));
  Subject(q, r.certificate_subject).Bool(r.principal.active).Exec();
}

// Inserts a principal at version 1; with `ignore_existing`, one whose id or certificate subject
// is taken is skipped (0 rows) instead of failing.
uint64_t InsertPrincipal(sql::Connection& conn, const PrincipalRecord& r, absl::Time now,
                         const std::string& by, bool ignore_existing) {
  Query q(conn, absl::StrCat("INSERT ", ignore_existing ? "IGNORE " : "",
                             "INTO principals (id, unit_code, agency_id, roles, display_name, "
                             "certificate_subject, active, created_at, updated_at, updated_by, "
                             "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"));
  q.Str(r.principal.id)
      .Str(r.principal.unit_code)
      .Str(r.principal.agency_id)
      .Str(JoinRoles(r.principal.roles))
      .Str(r.display_name);
  return Subject(q, r.certificate_subject)
      .Bool(r.principal.active)
      .Time(now)
      .Time(now)
      .Str(by)
      .Exec();
}

// A duplicate key on insert or update: which one.
absl::Status Duplicate(const sql::SQLException& e, const PrincipalRecord& r) {
  if (std::string(e.what()).find("principals_certificate_subject") != std::string::npos) {
    return absl::AlreadyExistsError(absl::StrCat("principal.certificate_subject: '",
                                                 r.certificate_subject,
                                                 "' belongs to another principal"));
  }
  return absl::AlreadyExistsError(
      absl::StrCat("principal.id: principal '", r.principal.id, "' already exists"));
}

// At most `max` bytes of `text`, never cutting a UTF-8 character in two.
std::string Utf8Prefix(const std::string& text, size_t max) {
  if (text.size() <= max) {
    return text;
  }
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) {
    --n;
  }
  return text.substr(0, n);
}

}  // namespace

absl::StatusOr<std::vector<PrincipalRecord>> AccessStore::LoadPrincipals() {
  std::vector<PrincipalRecord> out;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    out.clear();
    auto rs =
        Query(conn, absl::StrCat("SELECT ", kPrincipalColumns, " FROM principals ORDER BY id"))
            .Rows();
    while (rs->next()) {
      out.push_back(ReadPrincipal(*rs));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<PrincipalRecord> AccessStore::GetPrincipal(const std::string& id) {
  std::optional<PrincipalRecord> found;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    auto rs =
        Query(conn, absl::StrCat("SELECT ", kPrincipalColumns, " FROM principals WHERE id = ?"))
            .Str(id)
            .Rows();
    if (rs->next()) {
      found = ReadPrincipal(*rs);
    }
    return absl::OkStatus();
  }));
  if (!found.has_value()) {
    return absl::NotFoundError(absl::StrCat("principal '", id, "' does not exist"));
  }
  return *std::move(found);
}

absl::Status AccessStore::CreatePrincipal(const PrincipalRecord& r, absl::Time now,
                                          const std::string& by) {
  return pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    try {
      InsertPrincipal(conn, r, now, by, /*ignore_existing=*/false);
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() == 1062) {
        return Duplicate(e, r);
      }
      throw;
    }
    RecordChange(conn, r, now, by, "create");
    return absl::OkStatus();
  });
}

absl::Status AccessStore::UpdatePrincipal(const PrincipalRecord& r, int64_t expected_version,
                                          absl::Time now, const std::string& by) {
  return pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    auto rs = Query(conn, "SELECT version FROM principals WHERE id = ? FOR UPDATE")
                  .Str(r.principal.id)
                  .Rows();
    if (!rs->next()) {
      return absl::NotFoundError(absl::StrCat("principal '", r.principal.id, "' does not exist"));
    }
    if (expected_version != 0 && rs->getInt64(1) != expected_version) {
      return absl::AbortedError(absl::StrCat("principal '", r.principal.id,
                                             "' changed since it was read; read it again"));
    }
    try {
      Query q(conn,
              "UPDATE principals SET agency_id = ?, roles = ?, display_name = ?, "
              "certificate_subject = ?, active = ?, updated_at = ?, updated_by = ?, "
              "version = version + 1 WHERE id = ?");
      q.Str(r.principal.agency_id).Str(JoinRoles(r.principal.roles)).Str(r.display_name);
      Subject(q, r.certificate_subject)
          .Bool(r.principal.active)
          .Time(now)
          .Str(by)
          .Str(r.principal.id)
          .Exec();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() == 1062) {
        return Duplicate(e, r);
      }
      throw;
    }
    RecordChange(conn, r, now, by, "update");
    return absl::OkStatus();
  });
}

absl::StatusOr<int> AccessStore::SeedPrincipals(const std::vector<PrincipalRecord>& records,
                                                absl::Time now) {
  int added = 0;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    added = 0;
    for (const PrincipalRecord& r : records) {
      if (InsertPrincipal(conn, r, now, "principals-file", /*ignore_existing=*/true) == 1) {
        ++added;
        RecordChange(conn, r, now, "principals-file", "create");
      }
    }
    return absl::OkStatus();
  }));
  return added;
}

absl::Status AccessStore::Append(const DecisionRecord& r) {
  LogDecisionLine(r);
  return pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    const std::string chain =
        r.unit_chain.empty() ? "" : absl::StrCat(",", absl::StrJoin(r.unit_chain, ","), ",");
    Query(conn,
          "INSERT INTO decisions (decided_at, principal_id, authenticated_by, method, action, "
          "unit_code, unit_chain, indicator_codes, criterion_code, allowed, check_name, reason, "
          "transport) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .Time(r.time)
        .Str(r.principal)
        .Str(r.authenticated_by)
        .Str(r.method)
        .Str(r.action)
        .Str(r.unit_code)
        .Str(chain)
        .Str(absl::StrJoin(r.indicators, ","))
        .Str(r.criterion)
        .Bool(r.allowed)
        .Str(r.check)
        .Str(Utf8Prefix(r.reason, 1000))
        .Str(r.transport)
        .Exec();
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<StoredDecision>> AccessStore::ListDecisions(const DecisionQuery& q) {
  std::string where = "(LOCATE(?, unit_chain) > 0";
  if (q.include_untargeted) {
    where += " OR unit_code = ''";
  }
  where += ")";
  if (!q.principal.empty()) {
    where += " AND principal_id = ?";
  }
  if (q.allowed.has_value()) {
    where += " AND allowed = ?";
  }
  if (q.start.has_value()) {
    where += " AND decided_at >= ?";
  }
  if (q.end.has_value()) {
    where += " AND decided_at < ?";
  }
  if (q.before_id > 0) {
    where += " AND id < ?";
  }
  std::vector<StoredDecision> out;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    out.clear();
    Query query(
        conn, absl::StrCat("SELECT id, decided_at, principal_id, authenticated_by, method, action, "
                           "unit_code, unit_chain, indicator_codes, criterion_code, allowed, "
                           "check_name, reason, transport FROM decisions WHERE ",
                           where, " ORDER BY id DESC LIMIT ", q.limit));
    query.Str(absl::StrCat(",", q.unit_code, ","));
    if (!q.principal.empty()) {
      query.Str(q.principal);
    }
    if (q.allowed.has_value()) {
      query.Bool(*q.allowed);
    }
    if (q.start.has_value()) {
      query.Time(*q.start);
    }
    if (q.end.has_value()) {
      query.Time(*q.end);
    }
    if (q.before_id > 0) {
      query.Int(q.before_id);
    }
    auto rs = query.Rows();
    while (rs->next()) {
      StoredDecision d;
      d.id = rs->getInt64(1);
      DecisionRecord& r = d.record;
      r.time = GetTime(*rs, 2);
      r.principal = GetStr(*rs, 3);
      r.authenticated_by = GetStr(*rs, 4);
      r.method = GetStr(*rs, 5);
      r.action = GetStr(*rs, 6);
      r.unit_code = GetStr(*rs, 7);
      r.unit_chain = absl::StrSplit(GetStr(*rs, 8), ',', absl::SkipEmpty());
      r.indicators = absl::StrSplit(GetStr(*rs, 9), ',', absl::SkipEmpty());
      r.criterion = GetStr(*rs, 10);
      r.allowed = rs->getBoolean(11);
      r.check = GetStr(*rs, 12);
      r.reason = GetStr(*rs, 13);
      r.transport = GetStr(*rs, 14);
      out.push_back(std::move(d));
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace ntm::gateway
