#include "services/plans/storage/directive_repository.h"

#include <cppconn/resultset.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/db/outbox.h"
#include "services/common/db/sql.h"
#include "services/common/status.h"
#include "services/plans/domain/rules.h"

namespace ntm::plans {
namespace {

using db::GetOptTime;
using db::GetStr;
using db::GetTime;
using db::JsonString;
using db::Query;
using db::WriteOutboxEvent;

std::string DeliverablesText(const std::vector<Deliverable>& deliverables) {
  std::vector<std::string> names;
  for (Deliverable d : deliverables) {
    names.push_back(d == Deliverable::kPlan ? "plan" : "registration");
  }
  return absl::StrJoin(names, ",");
}

std::vector<Deliverable> ParseDeliverables(const std::string& text) {
  std::vector<Deliverable> out;
  for (absl::string_view name : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    out.push_back(name == "plan" ? Deliverable::kPlan : Deliverable::kRegistration);
  }
  return out;
}

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

// The outbox event of a change to directive `subject` that made `version`.
void WriteEvent(sql::Connection& conn, const std::string& type, const std::string& subject,
                const std::string& payload, absl::Time now, int64_t version) {
  WriteOutboxEvent(conn, absl::StrCat(subject, "/", type, "/", version), type, subject, payload,
                   now);
}

absl::Status ReadUnits(sql::Connection& conn, Directive* d) {
  auto rs =
      Query(conn,
            "SELECT unit_code, extended_deadline, extension_reason, extended_by, extended_at, "
            "display_name FROM directive_units WHERE directive_id = ? ORDER BY unit_code")
          .Str(d->id)
          .Rows();
  d->units.clear();
  while (rs->next()) {
    AddressedUnit u;
    u.unit_code = GetStr(*rs, 1);
    u.extended_deadline = GetOptTime(*rs, 2);
    u.extension_reason = GetStr(*rs, 3);
    u.extended_by = GetStr(*rs, 4);
    u.extended_at = GetOptTime(*rs, 5);
    u.display_name = GetStr(*rs, 6);
    d->units.push_back(std::move(u));
  }
  return absl::OkStatus();
}

constexpr char kColumns[] =
    "id, document_number, issued_on, issuing_unit_code, year, deadline, deliverables, "
    "focus_indicators, title, demo, created_by, created_at, version";

Directive ReadDirective(const sql::ResultSet& rs) {
  Directive d;
  d.id = GetStr(rs, 1);
  d.document_number = GetStr(rs, 2);
  absl::ParseCivilTime(GetStr(rs, 3), &d.issued_on);
  d.issuing_unit_code = GetStr(rs, 4);
  d.year = rs.getInt(5);
  d.deadline = GetTime(rs, 6);
  d.deliverables = ParseDeliverables(GetStr(rs, 7));
  d.focus_indicators = absl::StrSplit(GetStr(rs, 8), ',', absl::SkipEmpty());
  d.title = GetStr(rs, 9);
  d.demo = rs.getBoolean(10);
  d.created_by = GetStr(rs, 11);
  d.created_at = GetTime(rs, 12);
  d.version = rs.getInt64(13);
  return d;
}

absl::StatusOr<Directive> Load(sql::Connection& conn, const std::string& id, bool for_update) {
  auto rs = Query(conn, absl::StrCat("SELECT ", kColumns, " FROM directives WHERE id = ?",
                                     for_update ? " FOR UPDATE" : ""))
                .Str(id)
                .Rows();
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat("directive '", id, "' does not exist"));
  }
  Directive d = ReadDirective(*rs);
  NTM_RETURN_IF_ERROR(ReadUnits(conn, &d));
  return d;
}

}  // namespace

absl::StatusOr<Directive> MySqlDirectiveRepository::Create(const Directive& d,
                                                           const std::string& actor,
                                                           absl::Time now) {
  Directive stored;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    try {
      Query(conn, absl::StrCat("INSERT INTO directives (", kColumns,
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"))
          .Str(d.id)
          .Str(d.document_number)
          .Str(DayText(d.issued_on))
          .Str(d.issuing_unit_code)
          .Int(d.year)
          .Time(d.deadline)
          .Str(DeliverablesText(d.deliverables))
          .Str(absl::StrJoin(d.focus_indicators, ","))
          .Str(d.title)
          .Bool(d.demo)
          .Str(actor)
          .Time(now)
          .Exec();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() == 1062) {
        if (std::string(e.what()).find("directives_number") != std::string::npos) {
          return absl::AlreadyExistsError(
              absl::StrCat("directive.document_number: units/", d.issuing_unit_code,
                           " already issued directive ", d.document_number));
        }
        return absl::AlreadyExistsError(
            absl::StrCat("directive_id: directive '", d.id, "' already exists"));
      }
      throw;
    }
    for (const AddressedUnit& u : d.units) {
      Query(conn,
            "INSERT INTO directive_units (directive_id, unit_code, display_name) VALUES (?, ?, ?)")
          .Str(d.id)
          .Str(u.unit_code)
          .Str(u.display_name)
          .Exec();
    }
    // Everything the notifications service needs to announce the directive and remind about it.
    std::vector<std::string> units;
    for (const AddressedUnit& u : d.units) {
      units.push_back(JsonString(absl::StrCat("units/", u.unit_code)));
    }
    std::vector<std::string> deliverables;
    for (Deliverable x : d.deliverables) {
      deliverables.push_back(JsonString(x == Deliverable::kPlan ? "plan" : "registration"));
    }
    WriteEvent(
        conn, "directive.created", absl::StrCat("directives/", d.id),
        absl::StrCat(
            "{\"directive\":", JsonString(d.id), ",\"name\":",
            JsonString(absl::StrCat("units/", d.issuing_unit_code, "/directives/", d.id)),
            ",\"year\":", d.year, ",\"title\":", JsonString(d.title), ",\"deadline\":",
            JsonString(absl::FormatTime(absl::RFC3339_full, d.deadline, absl::UTCTimeZone())),
            ",\"deliverables\":[", absl::StrJoin(deliverables, ","), "],\"units\":[",
            absl::StrJoin(units, ","), "]}"),
        now, 1);
    NTM_ASSIGN_OR_RETURN(stored, Load(conn, d.id, false));
    return absl::OkStatus();
  }));
  return stored;
}

absl::StatusOr<Directive> MySqlDirectiveRepository::Get(const std::string& id) {
  Directive d;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(d, Load(conn, id, false));
    return absl::OkStatus();
  }));
  return d;
}

absl::StatusOr<std::vector<Directive>> MySqlDirectiveRepository::List(
    const std::string& issuing_unit_code, int year) {
  std::vector<Directive> out;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    out.clear();
    Query q(conn, absl::StrCat("SELECT ", kColumns, " FROM directives WHERE issuing_unit_code = ?",
                               year > 0 ? " AND year = ?" : "", " ORDER BY deadline DESC, id"));
    q.Str(issuing_unit_code);
    if (year > 0) {
      q.Int(year);
    }
    auto rs = q.Rows();
    while (rs->next()) {
      out.push_back(ReadDirective(*rs));
    }
    for (Directive& d : out) {
      NTM_RETURN_IF_ERROR(ReadUnits(conn, &d));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Directive> MySqlDirectiveRepository::ExtendDeadline(
    const std::string& id, const std::string& unit_code, absl::Time new_deadline,
    const std::string& reason, int64_t expected_version, const std::string& actor, absl::Time now) {
  Directive result;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(Directive d, Load(conn, id, true));
    if (expected_version != 0 && d.version != expected_version) {
      return absl::AbortedError(
          absl::StrCat("directive '", id, "' changed since it was read; read it again"));
    }
    auto unit = std::find_if(d.units.begin(), d.units.end(),
                             [&](const AddressedUnit& u) { return u.unit_code == unit_code; });
    if (unit == d.units.end()) {
      return absl::NotFoundError(
          absl::StrCat("unit: directive '", id, "' does not address units/", unit_code));
    }
    NTM_RETURN_IF_ERROR(CheckExtension(d.deadline, *unit, new_deadline, reason));
    Query(conn,
          "INSERT INTO directive_extensions (directive_id, unit_code, previous_deadline, "
          "extended_deadline, reason, extended_by, extended_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .Str(id)
        .Str(unit_code)
        .Time(EffectiveDeadline(d.deadline, unit->extended_deadline))
        .Time(new_deadline)
        .Str(reason)
        .Str(actor)
        .Time(now)
        .Exec();
    Query(conn,
          "UPDATE directive_units SET extended_deadline = ?, extension_reason = ?, "
          "extended_by = ?, extended_at = ? WHERE directive_id = ? AND unit_code = ?")
        .Time(new_deadline)
        .Str(reason)
        .Str(actor)
        .Time(now)
        .Str(id)
        .Str(unit_code)
        .Exec();
    Query(conn, "UPDATE directives SET version = version + 1 WHERE id = ?").Str(id).Exec();
    WriteEvent(
        conn, "directive.deadline_extended", absl::StrCat("directives/", id),
        absl::StrCat(
            "{\"directive\":", JsonString(id),
            ",\"unit\":", JsonString(absl::StrCat("units/", unit_code)), ",\"deadline\":",
            JsonString(absl::FormatTime(absl::RFC3339_full, new_deadline, absl::UTCTimeZone())),
            ",\"reason\":", JsonString(reason), "}"),
        now, d.version + 1);
    NTM_ASSIGN_OR_RETURN(result, Load(conn, id, false));
    return absl::OkStatus();
  }));
  return result;
}

}  // namespace ntm::plans
