#include "services/registrations/storage/registration_repository.h"

#include <cppconn/exception.h>
#include <cppconn/resultset.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/db/outbox.h"
#include "services/common/db/sql.h"
#include "services/common/status.h"
#include "services/registrations/domain/rules.h"

namespace ntm::registrations {
namespace {

using db::GetOptTime;
using db::GetStr;
using db::GetTime;
using db::JsonString;
using db::Query;
using plans::PlanAction;
using plans::PlanStateName;

constexpr int kDuplicateKey = 1062;

State ParseState(const std::string& s) {
  if (s == "submitted") return State::kSubmitted;
  if (s == "returned") return State::kReturned;
  if (s == "accepted") return State::kAccepted;
  return State::kDraft;
}

std::vector<std::string> Codes(const std::string& text) {
  return absl::StrSplit(text, ',', absl::SkipEmpty());
}

constexpr char kColumns[] =
    "id, directive_id, unit_code, year, state, unit_display_name, unit_path, known_indicators, "
    "has_model_point, model_content, model_place, model_topic, model_indicators, submitted_at, "
    "submitted_late, created_by, created_at, updated_by, updated_at, version, issuing_unit_code";

Registration ReadRow(const sql::ResultSet& rs) {
  Registration r;
  r.id = GetStr(rs, 1);
  r.directive_id = GetStr(rs, 2);
  r.unit_code = GetStr(rs, 3);
  r.year = rs.getInt(4);
  r.state = ParseState(GetStr(rs, 5));
  r.unit_display_name = GetStr(rs, 6);
  r.unit_path = GetStr(rs, 7);
  r.known_indicators = Codes(GetStr(rs, 8));
  if (rs.getBoolean(9)) {
    r.content.model_point =
        ModelPoint{GetStr(rs, 10), GetStr(rs, 11), GetStr(rs, 12), Codes(GetStr(rs, 13))};
  }
  r.submitted_at = GetOptTime(rs, 14);
  r.submitted_late = rs.getBoolean(15);
  r.created_by = GetStr(rs, 16);
  r.created_at = GetTime(rs, 17);
  r.updated_by = GetStr(rs, 18);
  r.updated_at = GetTime(rs, 19);
  r.version = rs.getInt64(20);
  r.issuing_unit_code = GetStr(rs, 21);
  return r;
}

// Villages, changes and endorsements of `regs`, three statements whatever their number.
void LoadContent(sql::Connection& conn, std::vector<Registration>& regs) {
  if (regs.empty()) {
    return;
  }
  std::map<std::string, Registration*> by_id;
  std::vector<std::string> marks;
  for (Registration& r : regs) {
    by_id[r.id] = &r;
    marks.push_back("?");
  }
  const std::string in =
      absl::StrCat(" WHERE registration_id IN (", absl::StrJoin(marks, ", "), ")");
  auto rows = [&](const std::string& statement) {
    Query q(conn, statement);
    for (const Registration& r : regs) {
      q.Str(r.id);
    }
    return q.Rows();
  };
  auto rs = rows(
      absl::StrCat("SELECT registration_id, village_code, display_name FROM registration_villages",
                   in, " ORDER BY registration_id, village_code"));
  while (rs->next()) {
    by_id[GetStr(*rs, 1)]->villages.push_back(Village{GetStr(*rs, 2), GetStr(*rs, 3)});
  }
  rs = rows(absl::StrCat(
      "SELECT registration_id, village_code, content, place, indicator_codes, last_year_state, "
      "this_year_target FROM village_changes",
      in, " ORDER BY registration_id, village_code"));
  while (rs->next()) {
    by_id[GetStr(*rs, 1)]->content.changes.push_back(
        VillageChange{GetStr(*rs, 2), GetStr(*rs, 3), GetStr(*rs, 4), Codes(GetStr(*rs, 5)),
                      GetStr(*rs, 6), GetStr(*rs, 7)});
  }
  rs = rows(absl::StrCat(
      "SELECT registration_id, body, signed_by, signed_on FROM registration_endorsements", in,
      " ORDER BY registration_id, body"));
  while (rs->next()) {
    Endorsement e;
    e.body = static_cast<EndorsementBody>(rs->getInt(2));
    e.signed_by = GetStr(*rs, 3);
    absl::ParseCivilTime(GetStr(*rs, 4), &e.date);
    by_id[GetStr(*rs, 1)]->content.endorsements.push_back(std::move(e));
  }
}

absl::StatusOr<Registration> Load(sql::Connection& conn, const std::string& id, bool for_update) {
  auto rs = Query(conn, absl::StrCat("SELECT ", kColumns, " FROM registrations WHERE id = ?",
                                     for_update ? " FOR UPDATE" : ""))
                .Str(id)
                .Rows();
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat("registration '", id, "' does not exist"));
  }
  std::vector<Registration> one = {ReadRow(*rs)};
  LoadContent(conn, one);
  Registration r = std::move(one.front());
  rs = Query(conn,
             "SELECT action, from_state, to_state, actor, at, reason FROM registration_history "
             "WHERE registration_id = ? ORDER BY id")
           .Str(id)
           .Rows();
  while (rs->next()) {
    r.history.push_back(Event{GetStr(*rs, 1), ParseState(GetStr(*rs, 2)),
                              ParseState(GetStr(*rs, 3)), GetStr(*rs, 4), GetTime(*rs, 5),
                              GetStr(*rs, 6)});
  }
  return r;
}

// The history entry and the outbox event of a change; a submission says whether it was late.
void RecordEvent(sql::Connection& conn, const Registration& r, const char* action, State from,
                 State to, const std::string& actor, absl::Time now, const std::string& reason,
                 int64_t version, std::optional<bool> late = std::nullopt) {
  Query(conn,
        "INSERT INTO registration_history (registration_id, action, from_state, to_state, actor, "
        "at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .Str(r.id)
      .Str(action)
      .Str(PlanStateName(from))
      .Str(PlanStateName(to))
      .Str(actor)
      .Time(now)
      .Str(reason)
      .Exec();
  db::WriteOutboxEvent(
      conn, absl::StrCat("registrations/", r.id, "/", action, "/", version),
      absl::StrCat("registration.", action), absl::StrCat("registrations/", r.id),
      absl::StrCat(
          "{\"registration\":", JsonString(r.id), ",\"directive\":", JsonString(r.directive_id),
          ",\"unit\":", JsonString(absl::StrCat("units/", r.unit_code)), ",\"unit_display_name\":",
          JsonString(r.unit_display_name), ",\"state\":", JsonString(PlanStateName(to)),
          ",\"actor\":", JsonString(actor), ",\"reason\":", JsonString(reason),
          late.has_value() ? absl::StrCat(",\"late\":", *late ? "true" : "false") : "", "}"),
      now);
}

// The registration, locked, when `action` may happen to it now.
absl::StatusOr<Registration> LoadForChange(sql::Connection& conn, const std::string& id,
                                           int64_t expected_version, PlanAction action) {
  NTM_ASSIGN_OR_RETURN(Registration current, Load(conn, id, true));
  if (expected_version != 0 && current.version != expected_version) {
    return absl::AbortedError(
        absl::StrCat("etag: registration '", id, "' changed since it was read; read it again"));
  }
  NTM_RETURN_IF_ERROR(plans::CheckTransition(current.state, action, "registration"));
  return current;
}

}  // namespace

absl::StatusOr<Registration> MySqlRegistrationRepository::Create(const Registration& d,
                                                                 const std::string& actor,
                                                                 absl::Time now) {
  Registration stored;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    try {
      Query(
          conn,
          "INSERT INTO registrations (id, directive_id, issuing_unit_code, unit_code, year, state, "
          "unit_display_name, unit_path, known_indicators, created_by, created_at, updated_by, "
          "updated_at, version) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, 1)")
          .Str(d.id)
          .Str(d.directive_id)
          .Str(d.issuing_unit_code)
          .Str(d.unit_code)
          .Int(d.year)
          .Str(d.unit_display_name)
          .Str(d.unit_path)
          .Str(absl::StrJoin(d.known_indicators, ","))
          .Str(actor)
          .Time(now)
          .Str(actor)
          .Time(now)
          .Exec();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() == kDuplicateKey) {
        return absl::AlreadyExistsError(absl::StrCat("units/", d.unit_code,
                                                     " already has its registration for ", d.year,
                                                     " (one model point per commune and year)"));
      }
      throw;
    }
    for (const Village& v : d.villages) {
      Query(conn,
            "INSERT INTO registration_villages (registration_id, village_code, display_name) "
            "VALUES (?, ?, ?)")
          .Str(d.id)
          .Str(v.code)
          .Str(v.display_name)
          .Exec();
    }
    RecordEvent(conn, d, "create", State::kDraft, State::kDraft, actor, now, "", 1);
    NTM_ASSIGN_OR_RETURN(stored, Load(conn, d.id, false));
    return absl::OkStatus();
  }));
  return stored;
}

absl::StatusOr<Registration> MySqlRegistrationRepository::Get(const std::string& id) {
  Registration r;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(r, Load(conn, id, false));
    return absl::OkStatus();
  }));
  return r;
}

absl::StatusOr<std::vector<Registration>> MySqlRegistrationRepository::List(
    const std::string& directive_id, const std::string& below_unit_code, std::optional<State> state,
    const std::string& after_id, int limit) {
  std::vector<Registration> out;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    out.clear();
    // After (directive, unit) of `after_id` ("<directive>.<unit>"; directive ids have no '.').
    const size_t dot = after_id.rfind('.');
    const std::string after_directive =
        dot == std::string::npos ? after_id : after_id.substr(0, dot);
    const std::string after_unit = dot == std::string::npos ? "" : after_id.substr(dot + 1);
    std::string where = "(directive_id > ? OR (directive_id = ? AND unit_code > ?))";
    if (!directive_id.empty()) where += " AND directive_id = ?";
    if (!below_unit_code.empty()) where += " AND unit_path LIKE ?";
    if (state.has_value()) where += " AND state = ?";
    Query q(conn, absl::StrCat("SELECT ", kColumns, " FROM registrations WHERE ", where,
                               " ORDER BY directive_id, unit_code",
                               limit > 0 ? absl::StrCat(" LIMIT ", limit) : ""));
    q.Str(after_directive).Str(after_directive).Str(after_unit);
    if (!directive_id.empty()) q.Str(directive_id);
    if (!below_unit_code.empty()) q.Str(absl::StrCat("%/", below_unit_code, "/%"));
    if (state.has_value()) q.Str(PlanStateName(*state));
    auto rs = q.Rows();
    while (rs->next()) {
      out.push_back(ReadRow(*rs));
    }
    LoadContent(conn, out);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Registration> MySqlRegistrationRepository::UpdateContent(
    const std::string& id, const RegistrationContent& c, int64_t expected_version,
    const std::string& actor, absl::Time now) {
  Registration result;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(Registration current,
                         LoadForChange(conn, id, expected_version, PlanAction::kEdit));
    const ModelPoint m = c.model_point.value_or(ModelPoint{});
    Query(conn,
          "UPDATE registrations SET has_model_point = ?, model_content = ?, model_place = ?, "
          "model_topic = ?, model_indicators = ?, updated_by = ?, updated_at = ?, "
          "version = version + 1 WHERE id = ?")
        .Bool(c.model_point.has_value())
        .Str(m.content)
        .Str(m.place)
        .Str(m.topic)
        .Str(absl::StrJoin(m.indicator_codes, ","))
        .Str(actor)
        .Time(now)
        .Str(id)
        .Exec();
    Query(conn, "DELETE FROM village_changes WHERE registration_id = ?").Str(id).Exec();
    Query(conn, "DELETE FROM registration_endorsements WHERE registration_id = ?").Str(id).Exec();
    for (size_t i = 0; i < c.changes.size(); ++i) {
      const VillageChange& ch = c.changes[i];
      try {
        Query(conn,
              "INSERT INTO village_changes (registration_id, village_code, year, position, "
              "content, place, indicator_codes, last_year_state, this_year_target) VALUES "
              "(?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .Str(id)
            .Str(ch.village_code)
            .Int(current.year)
            .Int(static_cast<int64_t>(i))
            .Str(ch.content)
            .Str(ch.place)
            .Str(absl::StrJoin(ch.indicator_codes, ","))
            .Str(ch.last_year_state)
            .Str(ch.this_year_target)
            .Exec();
      } catch (const sql::SQLException& e) {
        if (e.getErrorCode() == kDuplicateKey) {
          return absl::AlreadyExistsError(absl::StrCat(
              "village_changes[", i, "].village: units/", ch.village_code,
              " already has a change for ", current.year, " (one change per village and year)"));
        }
        throw;
      }
    }
    for (const Endorsement& e : c.endorsements) {
      Query(conn,
            "INSERT INTO registration_endorsements (registration_id, body, signed_by, signed_on) "
            "VALUES (?, ?, ?, ?)")
          .Str(id)
          .Int(static_cast<int>(e.body))
          .Str(e.signed_by)
          .Str(absl::FormatCivilTime(e.date))
          .Exec();
    }
    RecordEvent(conn, current, "edit", current.state, current.state, actor, now, "",
                current.version + 1);
    NTM_ASSIGN_OR_RETURN(result, Load(conn, id, false));
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<Registration> MySqlRegistrationRepository::Transition(
    const std::string& id, PlanAction action, int64_t expected_version, const std::string& actor,
    const std::string& reason, absl::Time deadline, absl::Time now) {
  Registration result;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(Registration current, LoadForChange(conn, id, expected_version, action));
    if (action == PlanAction::kReturn && absl::StripAsciiWhitespace(reason).empty()) {
      return absl::InvalidArgumentError("reasons: say why the registration is returned");
    }
    const State to = plans::After(current.state, action);
    if (action == PlanAction::kSubmit) {
      const std::vector<std::string> missing = Missing(current.content, current.villages);
      if (!missing.empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat("the registration is not complete: ", absl::StrJoin(missing, "; ")));
      }
      Query(conn,
            "UPDATE registrations SET state = ?, submitted_at = ?, submitted_late = ?, "
            "updated_by = ?, updated_at = ?, version = version + 1 WHERE id = ?")
          .Str(PlanStateName(to))
          .Time(now)
          .Bool(now > deadline)
          .Str(actor)
          .Time(now)
          .Str(id)
          .Exec();
    } else {
      Query(conn,
            "UPDATE registrations SET state = ?, updated_by = ?, updated_at = ?, "
            "version = version + 1 WHERE id = ?")
          .Str(PlanStateName(to))
          .Str(actor)
          .Time(now)
          .Str(id)
          .Exec();
    }
    RecordEvent(conn, current, plans::PlanActionName(action), current.state, to, actor, now, reason,
                current.version + 1,
                action == PlanAction::kSubmit ? std::optional<bool>(now > deadline) : std::nullopt);
    NTM_ASSIGN_OR_RETURN(result, Load(conn, id, false));
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<std::map<std::string, PreviousChange>> MySqlRegistrationRepository::ChangesOfYear(
    const std::vector<std::string>& village_codes, int year) {
  std::map<std::string, PreviousChange> out;
  if (village_codes.empty()) {
    return out;
  }
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    out.clear();
    std::vector<std::string> marks(village_codes.size(), "?");
    Query q(conn, absl::StrCat("SELECT village_code, registration_id, content, place, "
                               "indicator_codes, last_year_state, this_year_target FROM "
                               "village_changes WHERE year = ? AND village_code IN (",
                               absl::StrJoin(marks, ", "), ")"));
    q.Int(year);
    for (const std::string& code : village_codes) {
      q.Str(code);
    }
    auto rs = q.Rows();
    while (rs->next()) {
      PreviousChange p;
      p.year = year;
      p.registration_id = GetStr(*rs, 2);
      p.change = VillageChange{GetStr(*rs, 1),        GetStr(*rs, 3), GetStr(*rs, 4),
                               Codes(GetStr(*rs, 5)), GetStr(*rs, 6), GetStr(*rs, 7)};
      out.emplace(p.change.village_code, std::move(p));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<DistrictModelPoint> MySqlRegistrationRepository::ChooseModelPoint(
    const DistrictModelPoint& c, const std::string& reason, absl::Time now) {
  DistrictModelPoint stored;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    const std::string codes = absl::StrJoin(c.model_point.indicator_codes, ",");
    Query q(conn,
            "INSERT INTO district_model_points (directive_id, district_code, year, "
            "registration_id, content, place, topic, indicator_codes, chosen_by, chosen_at, "
            "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON DUPLICATE KEY UPDATE "
            "registration_id = VALUES(registration_id), content = VALUES(content), "
            "place = VALUES(place), topic = VALUES(topic), "
            "indicator_codes = VALUES(indicator_codes), chosen_by = VALUES(chosen_by), "
            "chosen_at = VALUES(chosen_at), version = version + 1");
    q.Str(c.directive_id).Str(c.district_code).Int(c.year);
    if (c.registration_id.has_value()) {
      q.Str(*c.registration_id);
    } else {
      q.Null();
    }
    q.Str(c.model_point.content)
        .Str(c.model_point.place)
        .Str(c.model_point.topic)
        .Str(codes)
        .Str(c.chosen_by)
        .Time(now)
        .Exec();
    Query h(conn,
            "INSERT INTO district_model_point_history (directive_id, registration_id, content, "
            "reason, chosen_by, chosen_at) VALUES (?, ?, ?, ?, ?, ?)");
    h.Str(c.directive_id);
    if (c.registration_id.has_value()) {
      h.Str(*c.registration_id);
    } else {
      h.Null();
    }
    h.Str(c.model_point.content).Str(reason).Str(c.chosen_by).Time(now).Exec();
    auto rs = Query(conn, "SELECT version FROM district_model_points WHERE directive_id = ?")
                  .Str(c.directive_id)
                  .Rows();
    rs->next();
    db::WriteOutboxEvent(
        conn,
        absl::StrCat("directives/", c.directive_id, "/district_model_point/", rs->getInt64(1)),
        "district_model_point.chosen", absl::StrCat("directives/", c.directive_id),
        absl::StrCat("{\"directive\":", JsonString(c.directive_id),
                     ",\"registration\":", JsonString(c.registration_id.value_or("")),
                     ",\"chosen_by\":", JsonString(c.chosen_by), "}"),
        now);
    stored = c;
    stored.chosen_at = now;
    return absl::OkStatus();
  }));
  return stored;
}

absl::StatusOr<DistrictModelPoint> MySqlRegistrationRepository::GetModelPoint(
    const std::string& directive_id) {
  DistrictModelPoint out;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    auto rs = Query(conn,
                    "SELECT directive_id, district_code, year, registration_id, content, place, "
                    "topic, indicator_codes, chosen_by, chosen_at FROM district_model_points "
                    "WHERE directive_id = ?")
                  .Str(directive_id)
                  .Rows();
    if (!rs->next()) {
      return absl::NotFoundError(
          absl::StrCat("no district model point is chosen for directive '", directive_id, "'"));
    }
    out.directive_id = GetStr(*rs, 1);
    out.district_code = GetStr(*rs, 2);
    out.year = rs->getInt(3);
    if (!rs->isNull(4)) {
      out.registration_id = GetStr(*rs, 4);
    }
    out.model_point =
        ModelPoint{GetStr(*rs, 5), GetStr(*rs, 6), GetStr(*rs, 7), Codes(GetStr(*rs, 8))};
    out.chosen_by = GetStr(*rs, 9);
    out.chosen_at = GetTime(*rs, 10);
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace ntm::registrations
