#include "services/assessment/storage/mysql_repository.h"

#include <cppconn/resultset.h>

#include <map>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/assessment/domain/rules.h"
#include "services/common/db/sql.h"
#include "services/common/status.h"

namespace ntm::assessment {
namespace {

using db::GetOptTime;
using db::GetStr;
using db::GetTime;
using db::Query;

// ---- catalog -------------------------------------------------------------------------------

constexpr char kSetColumns[] =
    "id, title, legal_basis, scope_unit_code, first_year, last_year, about, version";

CriteriaSet ReadSetRow(const sql::ResultSet& rs) {
  CriteriaSet s;
  s.id = GetStr(rs, 1);
  s.title = GetStr(rs, 2);
  s.legal_basis = GetStr(rs, 3);
  s.scope_unit_code = GetStr(rs, 4);
  s.first_year = rs.getInt(5);
  s.last_year = rs.getInt(6);
  s.about = GetStr(rs, 7);
  s.version = rs.getInt64(8);
  return s;
}

Threshold ReadThreshold(const sql::ResultSet& rs, uint32_t first) {
  Threshold t;
  t.year = rs.getInt(first);
  if (!rs.isNull(first + 1)) {
    t.value = db::ParseFixed4(GetStr(rs, first + 1));
  }
  t.status = static_cast<ThresholdStatus>(rs.getInt(first + 2));
  t.source = GetStr(rs, first + 3);
  t.updated_by = GetStr(rs, first + 4);
  t.update_time = GetOptTime(rs, first + 5);
  return t;
}

constexpr char kIndicatorColumns[] =
    "code, criterion_code, title_vi, title_en, measure, unit, wording_source, wording_verified, "
    "version, updated_by, updated_at";

Indicator ReadIndicatorRow(const sql::ResultSet& rs) {
  Indicator i;
  i.code = GetStr(rs, 1);
  i.criterion_code = GetStr(rs, 2);
  i.title_vi = GetStr(rs, 3);
  i.title_en = GetStr(rs, 4);
  i.measure = static_cast<Measure>(rs.getInt(5));
  i.unit = GetStr(rs, 6);
  i.wording_source = GetStr(rs, 7);
  i.wording_verified = rs.getBoolean(8);
  i.version = rs.getInt64(9);
  i.updated_by = GetStr(rs, 10);
  i.update_time = GetOptTime(rs, 11);
  return i;
}

void LoadSetContent(sql::Connection& conn, CriteriaSet& s) {
  {
    auto rs = Query(conn,
                    "SELECT code, title_vi, title_en FROM content_groups "
                    "WHERE criteria_set_id = ? ORDER BY code")
                  .Str(s.id)
                  .Rows();
    while (rs->next()) {
      s.groups.push_back({rs->getInt(1), GetStr(*rs, 2), GetStr(*rs, 3)});
    }
  }
  {
    auto rs = Query(conn,
                    "SELECT code, title_vi, title_en, group_code FROM criteria "
                    "WHERE criteria_set_id = ? ORDER BY position")
                  .Str(s.id)
                  .Rows();
    while (rs->next()) {
      s.criteria.push_back({GetStr(*rs, 1), GetStr(*rs, 2), GetStr(*rs, 3), rs->getInt(4)});
    }
  }
  std::map<std::string, size_t> index;
  {
    auto rs = Query(conn, absl::StrCat("SELECT ", kIndicatorColumns,
                                       " FROM indicators WHERE criteria_set_id = ? "
                                       "ORDER BY position"))
                  .Str(s.id)
                  .Rows();
    while (rs->next()) {
      s.indicators.push_back(ReadIndicatorRow(*rs));
      index[s.indicators.back().code] = s.indicators.size() - 1;
    }
  }
  auto rs = Query(conn,
                  "SELECT indicator_code, year, value, status, source, updated_by, "
                  "updated_at FROM thresholds WHERE criteria_set_id = ? "
                  "ORDER BY indicator_code, year")
                .Str(s.id)
                .Rows();
  while (rs->next()) {
    auto it = index.find(GetStr(*rs, 1));
    if (it != index.end()) {
      s.indicators[it->second].thresholds.push_back(ReadThreshold(*rs, 2));
    }
  }
}

absl::StatusOr<Indicator> LoadIndicatorForUpdate(sql::Connection& conn, absl::string_view set_id,
                                                 absl::string_view code) {
  auto rs = Query(conn, absl::StrCat("SELECT ", kIndicatorColumns,
                                     " FROM indicators WHERE criteria_set_id = ? AND code = ? "
                                     "FOR UPDATE"))
                .Str(set_id)
                .Str(code)
                .Rows();
  if (!rs->next()) {
    return absl::NotFoundError(
        absl::StrFormat("criteriaSets/%s/indicators/%s not found", set_id, code));
  }
  Indicator i = ReadIndicatorRow(*rs);
  auto th = Query(conn,
                  "SELECT year, value, status, source, updated_by, updated_at "
                  "FROM thresholds WHERE criteria_set_id = ? AND indicator_code = ? "
                  "ORDER BY year")
                .Str(set_id)
                .Str(code)
                .Rows();
  while (th->next()) {
    i.thresholds.push_back(ReadThreshold(*th, 1));
  }
  return i;
}

// ---- directory -----------------------------------------------------------------------------

constexpr char kUnitColumns[] = "code, display_name, level, kind, parent_code, demo, note";

Unit ReadUnitRow(const sql::ResultSet& rs) {
  Unit u;
  u.code = GetStr(rs, 1);
  u.display_name = GetStr(rs, 2);
  u.level = static_cast<UnitLevel>(rs.getInt(3));
  u.kind = GetStr(rs, 4);
  u.parent_code = db::GetOptStr(rs, 5).value_or("");
  u.demo = rs.getBoolean(6);
  u.note = GetStr(rs, 7);
  return u;
}

Agency ReadAgencyRow(const sql::ResultSet& rs) {
  return {GetStr(rs, 1), GetStr(rs, 2), GetStr(rs, 3), rs.getBoolean(4), rs.getBoolean(5)};
}

absl::StatusOr<Ownership> ReadOwnership(sql::Connection& conn, absl::string_view unit_code,
                                        absl::string_view set_id, bool for_update) {
  Ownership o;
  o.unit_code = std::string(unit_code);
  o.criteria_set_id = std::string(set_id);
  {
    auto rs = Query(conn, absl::StrCat("SELECT version FROM ownership_versions "
                                       "WHERE unit_code = ? AND criteria_set_id = ?",
                                       for_update ? " FOR UPDATE" : ""))
                  .Str(unit_code)
                  .Str(set_id)
                  .Rows();
    if (!rs->next()) {
      return o;
    }
    o.version = rs->getInt64(1);
  }
  auto rs = Query(conn,
                  "SELECT o.criterion_code, o.indicator_code, o.agency_id, o.demo, "
                  "o.updated_by, o.updated_at FROM ownerships o "
                  "JOIN criteria c ON c.criteria_set_id = o.criteria_set_id "
                  "AND c.code = o.criterion_code "
                  "LEFT JOIN indicators i ON i.criteria_set_id = o.criteria_set_id "
                  "AND i.code = o.indicator_code "
                  "WHERE o.unit_code = ? AND o.criteria_set_id = ? "
                  "ORDER BY c.position, COALESCE(i.position, -1)")
                .Str(unit_code)
                .Str(set_id)
                .Rows();
  while (rs->next()) {
    OwnershipAssignment a;
    a.criterion_code = GetStr(*rs, 1);
    a.indicator_code = GetStr(*rs, 2);
    a.agency_id = GetStr(*rs, 3);
    a.demo = rs->getBoolean(4);
    a.updated_by = GetStr(*rs, 5);
    a.update_time = GetOptTime(*rs, 6);
    o.assignments.push_back(std::move(a));
  }
  return o;
}

// ---- assessments ---------------------------------------------------------------------------

constexpr char kAssessmentColumns[] =
    "id, unit_code, as_of, criteria_set_id, state, version, created_by, created_at, updated_at, "
    "submitted_by, submitted_at";

Assessment ReadAssessmentRow(const sql::ResultSet& rs) {
  Assessment a;
  a.id = rs.getInt64(1);
  a.unit_code = GetStr(rs, 2);
  absl::ParseCivilTime(GetStr(rs, 3), &a.as_of);
  a.criteria_set_id = GetStr(rs, 4);
  a.state = static_cast<AssessmentState>(rs.getInt(5));
  a.version = rs.getInt64(6);
  a.created_by = GetStr(rs, 7);
  a.create_time = GetTime(rs, 8);
  a.update_time = GetTime(rs, 9);
  a.submitted_by = GetStr(rs, 10);
  a.submit_time = GetOptTime(rs, 11);
  return a;
}

void LoadAssessmentContent(sql::Connection& conn, Assessment& a, bool with_history) {
  {
    auto rs = Query(conn,
                    "SELECT indicator_code, kind, bool_value, number_value, count_value, "
                    "note, evidence, source, supplied_by, agency_id, updated_at "
                    "FROM assessment_values WHERE assessment_id = ?")
                  .Int(a.id)
                  .Rows();
    while (rs->next()) {
      IndicatorValue v;
      v.indicator_code = GetStr(*rs, 1);
      v.value.kind = static_cast<Value::Kind>(rs->getInt(2));
      switch (v.value.kind) {
        case Value::Kind::kBoolean:
          v.value.boolean = rs->getBoolean(3);
          break;
        case Value::Kind::kNumber:
          v.value.number = db::ParseFixed4(GetStr(*rs, 4));
          break;
        case Value::Kind::kCount:
          v.value.count = rs->getInt64(5);
          break;
      }
      v.note = GetStr(*rs, 6);
      v.evidence = GetStr(*rs, 7);
      v.source = static_cast<ValueSource>(rs->getInt(8));
      v.supplied_by = GetStr(*rs, 9);
      v.agency_id = GetStr(*rs, 10);
      v.update_time = GetTime(*rs, 11);
      a.values.push_back(std::move(v));
    }
  }
  {
    auto rs = Query(conn,
                    "SELECT criterion_code, agency_id, verdict, reason, reviewer, "
                    "reviewed_at FROM criterion_reviews WHERE assessment_id = ? "
                    "ORDER BY reviewed_at, criterion_code, agency_id")
                  .Int(a.id)
                  .Rows();
    while (rs->next()) {
      a.reviews.push_back({GetStr(*rs, 1), GetStr(*rs, 2), static_cast<Verdict>(rs->getInt(3)),
                           GetStr(*rs, 4), GetStr(*rs, 5), GetTime(*rs, 6)});
    }
  }
  if (with_history) {
    auto rs = Query(conn,
                    "SELECT action, actor, agency_id, at, detail FROM assessment_events "
                    "WHERE assessment_id = ? ORDER BY id")
                  .Int(a.id)
                  .Rows();
    while (rs->next()) {
      a.history.push_back(
          {GetStr(*rs, 1), GetStr(*rs, 2), GetStr(*rs, 3), GetTime(*rs, 4), GetStr(*rs, 5)});
    }
  }
}

absl::StatusOr<Assessment> ReadAssessment(sql::Connection& conn, const AssessmentKey& key,
                                          bool for_update, bool with_history) {
  auto rs = Query(conn, absl::StrCat("SELECT ", kAssessmentColumns,
                                     " FROM assessments WHERE unit_code = ? AND as_of = ?",
                                     for_update ? " FOR UPDATE" : ""))
                .Str(key.unit_code)
                .Str(FormatDate(key.as_of))
                .Rows();
  if (!rs->next()) {
    return absl::NotFoundError(
        absl::StrFormat("units/%s/assessments/%s not found", key.unit_code, FormatDate(key.as_of)));
  }
  Assessment a = ReadAssessmentRow(*rs);
  LoadAssessmentContent(conn, a, with_history);
  return a;
}

void InsertEvent(sql::Connection& conn, int64_t assessment_id, const Event& e) {
  Query(conn,
        "INSERT INTO assessment_events (assessment_id, action, actor, agency_id, at, "
        "detail) VALUES (?, ?, ?, ?, ?, ?)")
      .Int(assessment_id)
      .Str(e.action)
      .Str(e.actor)
      .Str(e.agency_id)
      .Time(e.time)
      .Str(e.detail)
      .Exec();
}

// Looks up a request id; returns the resource it created, "" when unused, or ALREADY_EXISTS
// when it was used for another request.
absl::StatusOr<std::string> CheckRequestId(sql::Connection& conn, absl::string_view method,
                                           absl::string_view request_id,
                                           absl::string_view request_hash) {
  // A locking read sees a concurrent first call's row once it has committed.
  auto rs = Query(conn,
                  "SELECT request_hash, resource FROM request_ids "
                  "WHERE method = ? AND request_id = ? LOCK IN SHARE MODE")
                .Str(method)
                .Str(request_id)
                .Rows();
  if (!rs->next()) {
    return std::string();
  }
  if (GetStr(*rs, 1) != request_hash) {
    return absl::AlreadyExistsError(absl::StrFormat(
        "request_id: '%s' was already used for a different %s request", request_id, method));
  }
  return GetStr(*rs, 2);
}

void RecordRequestId(sql::Connection& conn, absl::string_view method, absl::string_view request_id,
                     absl::string_view request_hash, absl::string_view resource, absl::Time now) {
  Query(conn,
        "INSERT INTO request_ids (method, request_id, request_hash, resource, created_at) "
        "VALUES (?, ?, ?, ?, ?)")
      .Str(method)
      .Str(request_id)
      .Str(request_hash)
      .Str(resource)
      .Time(now)
      .Exec();
}

template <typename T, typename Fn>
absl::StatusOr<T> Read(db::ConnectionPool* pool, Fn fn) {
  absl::StatusOr<T> out = absl::InternalError("not run");
  absl::Status s = pool->WithConnection([&](sql::Connection& conn) -> absl::Status {
    out = fn(conn);
    return out.status();
  });
  if (!s.ok()) {
    return s;
  }
  return out;
}

template <typename T, typename Fn>
absl::StatusOr<T> Write(db::ConnectionPool* pool, Fn fn) {
  absl::StatusOr<T> out = absl::InternalError("not run");
  absl::Status s = pool->InTransaction([&](sql::Connection& conn) -> absl::Status {
    out = fn(conn);
    return out.status();
  });
  if (!s.ok()) {
    return s;
  }
  return out;
}

}  // namespace

// ---- MySqlCatalogRepository ----------------------------------------------------------------

absl::StatusOr<std::vector<CriteriaSet>> MySqlCatalogRepository::ListCriteriaSets() {
  return Read<std::vector<CriteriaSet>>(pool_, [&](sql::Connection& conn) {
    std::vector<CriteriaSet> out;
    auto rs = Query(conn, absl::StrCat("SELECT ", kSetColumns,
                                       " FROM criteria_sets ORDER BY first_year DESC, id"))
                  .Rows();
    while (rs->next()) {
      out.push_back(ReadSetRow(*rs));
    }
    // Even the basic view needs the counts and the threshold summary: load everything (there
    // are only a few editions).
    for (auto& s : out) {
      LoadSetContent(conn, s);
    }
    return absl::StatusOr<std::vector<CriteriaSet>>(std::move(out));
  });
}

absl::StatusOr<CriteriaSet> MySqlCatalogRepository::GetCriteriaSet(absl::string_view id) {
  return Read<CriteriaSet>(pool_, [&](sql::Connection& conn) -> absl::StatusOr<CriteriaSet> {
    auto rs = Query(conn, absl::StrCat("SELECT ", kSetColumns, " FROM criteria_sets WHERE id = ?"))
                  .Str(id)
                  .Rows();
    if (!rs->next()) {
      return absl::NotFoundError(absl::StrCat("criteriaSets/", id, " not found"));
    }
    CriteriaSet s = ReadSetRow(*rs);
    LoadSetContent(conn, s);
    return s;
  });
}

absl::StatusOr<int64_t> MySqlCatalogRepository::CriteriaSetVersion(absl::string_view id) {
  return Read<int64_t>(pool_, [&](sql::Connection& conn) -> absl::StatusOr<int64_t> {
    auto rs = Query(conn, "SELECT version FROM criteria_sets WHERE id = ?").Str(id).Rows();
    if (!rs->next()) {
      return absl::NotFoundError(absl::StrCat("criteriaSets/", id, " not found"));
    }
    return rs->getInt64(1);
  });
}

absl::StatusOr<Indicator> MySqlCatalogRepository::UpdateIndicator(
    absl::string_view set_id, absl::string_view code, const IndicatorDecision& decide,
    absl::string_view actor, absl::string_view source, absl::Time now) {
  return Write<Indicator>(pool_, [&](sql::Connection& conn) -> absl::StatusOr<Indicator> {
    NTM_ASSIGN_OR_RETURN(Indicator current, LoadIndicatorForUpdate(conn, set_id, code));
    std::string detail;
    NTM_ASSIGN_OR_RETURN(Indicator next, decide(current, &detail));
    Query(conn,
          "UPDATE indicators SET title_vi = ?, title_en = ?, unit = ?, "
          "wording_verified = ?, version = version + 1, updated_by = ?, updated_at = ? "
          "WHERE criteria_set_id = ? AND code = ?")
        .Str(next.title_vi)
        .Str(next.title_en)
        .Str(next.unit)
        .Bool(next.wording_verified)
        .Str(actor)
        .Time(now)
        .Str(set_id)
        .Str(code)
        .Exec();
    for (const Threshold& t : next.thresholds) {
      Query q(conn,
              "INSERT INTO thresholds (criteria_set_id, indicator_code, year, value, status, "
              "source, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
              "ON DUPLICATE KEY UPDATE value = VALUES(value), status = VALUES(status), "
              "source = VALUES(source), updated_by = VALUES(updated_by), "
              "updated_at = VALUES(updated_at)");
      q.Str(set_id).Str(code).Int(t.year);
      if (t.value.has_value()) {
        q.Str(db::FormatFixed4(*t.value));
      } else {
        q.Null();
      }
      q.Int(static_cast<int>(t.status)).Str(t.source).Str(t.updated_by).OptTime(t.update_time);
      q.Exec();
    }
    Query(conn, "UPDATE criteria_sets SET version = version + 1 WHERE id = ?").Str(set_id).Exec();
    Query(conn,
          "INSERT INTO catalog_changes (criteria_set_id, indicator_code, actor, source, "
          "detail, changed_at) VALUES (?, ?, ?, ?, ?, ?)")
        .Str(set_id)
        .Str(code)
        .Str(actor)
        .Str(source)
        .Str(detail)
        .Time(now)
        .Exec();
    return LoadIndicatorForUpdate(conn, set_id, code);
  });
}

// ---- MySqlDirectoryRepository --------------------------------------------------------------

absl::StatusOr<Unit> MySqlDirectoryRepository::GetUnit(absl::string_view code) {
  return Read<Unit>(pool_, [&](sql::Connection& conn) -> absl::StatusOr<Unit> {
    auto rs = Query(conn, absl::StrCat("SELECT ", kUnitColumns, " FROM units WHERE code = ?"))
                  .Str(code)
                  .Rows();
    if (!rs->next()) {
      return absl::NotFoundError(absl::StrCat("units/", code, " not found"));
    }
    return ReadUnitRow(*rs);
  });
}

absl::StatusOr<std::vector<Unit>> MySqlDirectoryRepository::ListChildren(absl::string_view code) {
  return Read<std::vector<Unit>>(pool_, [&](sql::Connection& conn) {
    std::vector<Unit> out;
    auto rs = Query(conn, absl::StrCat("SELECT ", kUnitColumns,
                                       " FROM units WHERE parent_code = ? ORDER BY code"))
                  .Str(code)
                  .Rows();
    while (rs->next()) {
      out.push_back(ReadUnitRow(*rs));
    }
    return absl::StatusOr<std::vector<Unit>>(std::move(out));
  });
}

absl::StatusOr<std::vector<Unit>> MySqlDirectoryRepository::ListUnits(
    absl::string_view parent, std::optional<UnitLevel> level, absl::string_view after_code,
    int limit) {
  return Read<std::vector<Unit>>(pool_, [&](sql::Connection& conn) {
    std::vector<Unit> out;
    std::string cols = "u.code, u.display_name, u.level, u.kind, u.parent_code, u.demo, u.note";
    std::unique_ptr<sql::ResultSet> rs;
    if (parent.empty()) {
      Query q(conn,
              absl::StrCat("SELECT ", cols, " FROM units u WHERE u.code > ? ",
                           level.has_value() ? "AND u.level = ? " : "", "ORDER BY u.code LIMIT ?"));
      q.Str(after_code);
      if (level.has_value()) {
        q.Int(static_cast<int>(*level));
      }
      rs = q.Int(limit).Rows();
    } else {
      Query q(conn,
              absl::StrCat(
                  "WITH RECURSIVE tree (code) AS (SELECT code FROM units WHERE parent_code = ? "
                  "UNION ALL SELECT c.code FROM units c JOIN tree t ON c.parent_code = t.code) "
                  "SELECT ",
                  cols, " FROM units u JOIN tree t ON t.code = u.code WHERE u.code > ? ",
                  level.has_value() ? "AND u.level = ? " : "", "ORDER BY u.code LIMIT ?"));
      q.Str(parent).Str(after_code);
      if (level.has_value()) {
        q.Int(static_cast<int>(*level));
      }
      rs = q.Int(limit).Rows();
    }
    while (rs->next()) {
      out.push_back(ReadUnitRow(*rs));
    }
    return absl::StatusOr<std::vector<Unit>>(std::move(out));
  });
}

absl::StatusOr<std::vector<Unit>> MySqlDirectoryRepository::AncestorsOf(absl::string_view code) {
  return Read<std::vector<Unit>>(
      pool_, [&](sql::Connection& conn) -> absl::StatusOr<std::vector<Unit>> {
        std::vector<Unit> out;
        auto rs = Query(conn,
                        "WITH RECURSIVE chain (code, parent_code, depth) AS ("
                        "SELECT code, parent_code, 0 FROM units WHERE code = ? "
                        "UNION ALL SELECT p.code, p.parent_code, c.depth + 1 FROM units p "
                        "JOIN chain c ON p.code = c.parent_code WHERE c.depth < 16) "
                        "SELECT u.code, u.display_name, u.level, u.kind, u.parent_code, u.demo, "
                        "u.note FROM chain c JOIN units u ON u.code = c.code ORDER BY c.depth")
                      .Str(code)
                      .Rows();
        while (rs->next()) {
          out.push_back(ReadUnitRow(*rs));
        }
        if (out.empty()) {
          return absl::NotFoundError(absl::StrCat("units/", code, " not found"));
        }
        return out;
      });
}

absl::Status MySqlDirectoryRepository::CreateUnit(const Unit& unit, absl::string_view actor) {
  return pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    try {
      Query(conn,
            "INSERT INTO units (code, display_name, level, kind, parent_code, demo, note, "
            "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
          .Str(unit.code)
          .Str(unit.display_name)
          .Int(static_cast<int>(unit.level))
          .Str(unit.kind)
          .Str(unit.parent_code)
          .Bool(unit.demo)
          .Str(unit.note)
          .Str(actor)
          .Exec();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() == 1062) {
        return absl::AlreadyExistsError(absl::StrCat("units/", unit.code, " already exists"));
      }
      throw;
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Agency>> MySqlDirectoryRepository::ListAgencies(
    absl::string_view unit_code) {
  return Read<std::vector<Agency>>(pool_, [&](sql::Connection& conn) {
    std::vector<Agency> out;
    auto rs = Query(conn,
                    "SELECT id, display_name, unit_code, standing_office, demo "
                    "FROM agencies WHERE unit_code = ? ORDER BY id")
                  .Str(unit_code)
                  .Rows();
    while (rs->next()) {
      out.push_back(ReadAgencyRow(*rs));
    }
    return absl::StatusOr<std::vector<Agency>>(std::move(out));
  });
}

absl::StatusOr<std::optional<Agency>> MySqlDirectoryRepository::FindAgency(absl::string_view id) {
  return Read<std::optional<Agency>>(pool_, [&](sql::Connection& conn) {
    auto rs = Query(conn,
                    "SELECT id, display_name, unit_code, standing_office, demo "
                    "FROM agencies WHERE id = ?")
                  .Str(id)
                  .Rows();
    std::optional<Agency> out;
    if (rs->next()) {
      out = ReadAgencyRow(*rs);
    }
    return absl::StatusOr<std::optional<Agency>>(std::move(out));
  });
}

absl::StatusOr<std::vector<std::pair<std::string, int64_t>>>
MySqlDirectoryRepository::OwnershipVersions(absl::string_view set_id,
                                            const std::vector<std::string>& unit_codes) {
  using Rows = std::vector<std::pair<std::string, int64_t>>;
  return Read<Rows>(pool_, [&](sql::Connection& conn) {
    Rows out;
    if (unit_codes.empty()) {
      return absl::StatusOr<Rows>(std::move(out));
    }
    std::string sql =
        "SELECT unit_code, version FROM ownership_versions WHERE criteria_set_id = ? AND "
        "version > 0 AND unit_code IN (";
    for (size_t i = 0; i < unit_codes.size(); ++i) {
      absl::StrAppend(&sql, i == 0 ? "?" : ", ?");
    }
    sql += ")";
    Query q(conn, sql);
    q.Str(set_id);
    for (const auto& c : unit_codes) {
      q.Str(c);
    }
    auto rs = q.Rows();
    while (rs->next()) {
      out.emplace_back(GetStr(*rs, 1), rs->getInt64(2));
    }
    return absl::StatusOr<Rows>(std::move(out));
  });
}

absl::StatusOr<Ownership> MySqlDirectoryRepository::GetOwnership(absl::string_view unit_code,
                                                                 absl::string_view set_id) {
  return Read<Ownership>(pool_, [&](sql::Connection& conn) {
    return ReadOwnership(conn, unit_code, set_id, /*for_update=*/false);
  });
}

absl::StatusOr<Ownership> MySqlDirectoryRepository::UpdateOwnership(absl::string_view unit_code,
                                                                    absl::string_view set_id,
                                                                    const OwnershipDecision& decide,
                                                                    absl::string_view actor,
                                                                    absl::Time now) {
  return Write<Ownership>(pool_, [&](sql::Connection& conn) -> absl::StatusOr<Ownership> {
    // Lock the version row (creating it first when absent) so concurrent changes serialize.
    Query(conn,
          "INSERT IGNORE INTO ownership_versions (unit_code, criteria_set_id, version) "
          "VALUES (?, ?, 0)")
        .Str(unit_code)
        .Str(set_id)
        .Exec();
    NTM_ASSIGN_OR_RETURN(Ownership current, ReadOwnership(conn, unit_code, set_id, true));
    NTM_ASSIGN_OR_RETURN(std::vector<OwnershipAssignment> changes, decide(current));
    for (const auto& c : changes) {
      std::string old_agency;
      for (const auto& a : current.assignments) {
        if (a.criterion_code == c.criterion_code && a.indicator_code == c.indicator_code) {
          old_agency = a.agency_id;
        }
      }
      if (c.agency_id.empty()) {
        Query(conn,
              "DELETE FROM ownerships WHERE unit_code = ? AND criteria_set_id = ? "
              "AND criterion_code = ? AND indicator_code = ?")
            .Str(unit_code)
            .Str(set_id)
            .Str(c.criterion_code)
            .Str(c.indicator_code)
            .Exec();
      } else {
        Query(conn,
              "INSERT INTO ownerships (unit_code, criteria_set_id, criterion_code, "
              "indicator_code, agency_id, demo, updated_by, updated_at) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
              "agency_id = VALUES(agency_id), demo = VALUES(demo), "
              "updated_by = VALUES(updated_by), updated_at = VALUES(updated_at)")
            .Str(unit_code)
            .Str(set_id)
            .Str(c.criterion_code)
            .Str(c.indicator_code)
            .Str(c.agency_id)
            .Bool(c.demo)
            .Str(actor)
            .Time(now)
            .Exec();
      }
      Query(conn,
            "INSERT INTO ownership_changes (unit_code, criteria_set_id, criterion_code, "
            "indicator_code, old_agency_id, new_agency_id, actor, changed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
          .Str(unit_code)
          .Str(set_id)
          .Str(c.criterion_code)
          .Str(c.indicator_code)
          .Str(old_agency)
          .Str(c.agency_id)
          .Str(actor)
          .Time(now)
          .Exec();
    }
    Query(conn,
          "UPDATE ownership_versions SET version = version + 1 "
          "WHERE unit_code = ? AND criteria_set_id = ?")
        .Str(unit_code)
        .Str(set_id)
        .Exec();
    return ReadOwnership(conn, unit_code, set_id, false);
  });
}

// ---- MySqlAssessmentRepository -------------------------------------------------------------

absl::StatusOr<Assessment> MySqlAssessmentRepository::Create(const Assessment& a,
                                                             absl::string_view request_id,
                                                             absl::string_view request_hash) {
  const AssessmentKey key{a.unit_code, a.as_of};
  return Write<Assessment>(pool_, [&](sql::Connection& conn) -> absl::StatusOr<Assessment> {
    if (!request_id.empty()) {
      NTM_ASSIGN_OR_RETURN(std::string earlier,
                           CheckRequestId(conn, "CreateAssessment", request_id, request_hash));
      if (!earlier.empty()) {
        return ReadAssessment(conn, key, false, false);
      }
    }
    try {
      Query(conn,
            "INSERT INTO assessments (unit_code, as_of, criteria_set_id, state, version, "
            "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)")
          .Str(a.unit_code)
          .Str(FormatDate(a.as_of))
          .Str(a.criteria_set_id)
          .Int(static_cast<int>(AssessmentState::kDraft))
          .Str(a.created_by)
          .Time(a.create_time)
          .Time(a.create_time)
          .Exec();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != 1062) {
        throw;
      }
      // A retry that raced the first call with the same request id: the first call has
      // committed by now (the insert waited for its lock), so its request id is visible.
      if (!request_id.empty()) {
        NTM_ASSIGN_OR_RETURN(std::string earlier,
                             CheckRequestId(conn, "CreateAssessment", request_id, request_hash));
        if (!earlier.empty()) {
          return ReadAssessment(conn, key, /*for_update=*/true, false);
        }
      }
      return absl::AlreadyExistsError(absl::StrFormat("units/%s/assessments/%s already exists",
                                                      a.unit_code, FormatDate(a.as_of)));
    }
    auto rs = Query(conn, "SELECT LAST_INSERT_ID()").Rows();
    rs->next();
    const int64_t id = rs->getInt64(1);
    InsertEvent(conn, id,
                {"created", a.created_by, "", a.create_time,
                 absl::StrCat("criteria set ", a.criteria_set_id)});
    if (!request_id.empty()) {
      RecordRequestId(conn, "CreateAssessment", request_id, request_hash,
                      absl::StrCat("units/", a.unit_code, "/assessments/", FormatDate(a.as_of)),
                      a.create_time);
    }
    return ReadAssessment(conn, key, false, false);
  });
}

absl::StatusOr<Assessment> MySqlAssessmentRepository::Get(const AssessmentKey& key,
                                                          bool with_history) {
  return Read<Assessment>(
      pool_, [&](sql::Connection& conn) { return ReadAssessment(conn, key, false, with_history); });
}

absl::StatusOr<Assessment> MySqlAssessmentRepository::Latest(absl::string_view unit_code) {
  return Read<Assessment>(pool_, [&](sql::Connection& conn) -> absl::StatusOr<Assessment> {
    auto rs = Query(conn, absl::StrCat("SELECT ", kAssessmentColumns,
                                       " FROM assessments WHERE unit_code = ? "
                                       "ORDER BY as_of DESC LIMIT 1"))
                  .Str(unit_code)
                  .Rows();
    if (!rs->next()) {
      return absl::NotFoundError(absl::StrCat("units/", unit_code, " has no assessment"));
    }
    Assessment a = ReadAssessmentRow(*rs);
    LoadAssessmentContent(conn, a, false);
    return a;
  });
}

absl::StatusOr<std::vector<Assessment>> MySqlAssessmentRepository::List(const AssessmentFilter& f) {
  return Read<std::vector<Assessment>>(pool_, [&](sql::Connection& conn) {
    std::vector<Assessment> out;
    if (f.unit_codes.empty()) {
      return absl::StatusOr<std::vector<Assessment>>(std::move(out));
    }
    std::string sql =
        absl::StrCat("SELECT ", kAssessmentColumns, " FROM assessments WHERE unit_code IN (");
    for (size_t i = 0; i < f.unit_codes.size(); ++i) {
      absl::StrAppend(&sql, i == 0 ? "?" : ", ?");
    }
    sql += ")";
    if (f.as_of.has_value()) {
      sql += " AND as_of = ?";
    }
    if (f.state.has_value()) {
      sql += " AND state = ?";
    }
    if (f.after.has_value()) {
      sql += " AND (as_of < ? OR (as_of = ? AND unit_code > ?))";
    }
    sql += " ORDER BY as_of DESC, unit_code LIMIT ?";
    Query q(conn, sql);
    for (const auto& c : f.unit_codes) {
      q.Str(c);
    }
    if (f.as_of.has_value()) {
      q.Str(FormatDate(*f.as_of));
    }
    if (f.state.has_value()) {
      q.Int(static_cast<int>(*f.state));
    }
    if (f.after.has_value()) {
      q.Str(FormatDate(f.after->first)).Str(FormatDate(f.after->first)).Str(f.after->second);
    }
    auto rs = q.Int(f.limit).Rows();
    while (rs->next()) {
      out.push_back(ReadAssessmentRow(*rs));
    }
    if (f.with_content) {
      for (auto& a : out) {
        LoadAssessmentContent(conn, a, false);
      }
    }
    return absl::StatusOr<std::vector<Assessment>>(std::move(out));
  });
}

absl::StatusOr<Assessment> MySqlAssessmentRepository::Update(
    const AssessmentKey& key, absl::string_view method, absl::string_view request_id,
    absl::string_view request_hash, const Decision& decide, absl::Time now) {
  return Write<Assessment>(pool_, [&](sql::Connection& conn) -> absl::StatusOr<Assessment> {
    NTM_ASSIGN_OR_RETURN(Assessment current, ReadAssessment(conn, key, true, false));
    if (!request_id.empty()) {
      NTM_ASSIGN_OR_RETURN(std::string earlier,
                           CheckRequestId(conn, method, request_id, request_hash));
      if (!earlier.empty()) {
        return ReadAssessment(conn, key, false, false);
      }
    }
    NTM_ASSIGN_OR_RETURN(AssessmentChange change, decide(current));
    for (const IndicatorValue& v : change.upsert_values) {
      Query q(conn,
              "INSERT INTO assessment_values (assessment_id, indicator_code, kind, bool_value, "
              "number_value, count_value, note, evidence, source, supplied_by, agency_id, "
              "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
              "ON DUPLICATE KEY UPDATE kind = VALUES(kind), bool_value = VALUES(bool_value), "
              "number_value = VALUES(number_value), count_value = VALUES(count_value), "
              "note = VALUES(note), evidence = VALUES(evidence), source = VALUES(source), "
              "supplied_by = VALUES(supplied_by), agency_id = VALUES(agency_id), "
              "updated_at = VALUES(updated_at)");
      q.Int(current.id).Str(v.indicator_code).Int(static_cast<int>(v.value.kind));
      if (v.value.kind == Value::Kind::kBoolean) {
        q.Bool(v.value.boolean);
      } else {
        q.Null();
      }
      if (v.value.kind == Value::Kind::kNumber) {
        q.Str(db::FormatFixed4(v.value.number));
      } else {
        q.Null();
      }
      if (v.value.kind == Value::Kind::kCount) {
        q.Int(v.value.count);
      } else {
        q.Null();
      }
      q.Str(v.note)
          .Str(v.evidence)
          .Int(static_cast<int>(v.source))
          .Str(v.supplied_by)
          .Str(v.agency_id)
          .Time(v.update_time)
          .Exec();
    }
    if (change.review.has_value()) {
      const Review& r = *change.review;
      Query(conn,
            "INSERT INTO criterion_reviews (assessment_id, criterion_code, agency_id, "
            "verdict, reason, reviewer, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON DUPLICATE KEY UPDATE verdict = VALUES(verdict), reason = VALUES(reason), "
            "reviewer = VALUES(reviewer), reviewed_at = VALUES(reviewed_at)")
          .Int(current.id)
          .Str(r.criterion_code)
          .Str(r.agency_id)
          .Int(static_cast<int>(r.verdict))
          .Str(r.reason)
          .Str(r.reviewer)
          .Time(r.time)
          .Exec();
    }
    if (change.new_state.has_value()) {
      Query(conn,
            "UPDATE assessments SET state = ?, submitted_by = ?, submitted_at = ? "
            "WHERE id = ?")
          .Int(static_cast<int>(*change.new_state))
          .Str(change.submitted_by)
          .Time(now)
          .Int(current.id)
          .Exec();
    }
    Query(conn, "UPDATE assessments SET version = version + 1, updated_at = ? WHERE id = ?")
        .Time(now)
        .Int(current.id)
        .Exec();
    InsertEvent(conn, current.id, change.event);
    if (!request_id.empty()) {
      RecordRequestId(conn, method, request_id, request_hash,
                      absl::StrCat("units/", key.unit_code, "/assessments/", FormatDate(key.as_of)),
                      now);
    }
    return ReadAssessment(conn, key, false, false);
  });
}

}  // namespace ntm::assessment
