#include "services/plans/storage/plan_repository.h"

#include <cppconn/resultset.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/db/outbox.h"
#include "services/common/db/sql.h"
#include "services/common/status.h"

namespace ntm::plans {
namespace {

using db::GetOptTime;
using db::GetStr;
using db::GetTime;
using db::JsonString;
using db::Query;
using db::WriteOutboxEvent;

PlanState ParseState(const std::string& s) {
  if (s == "submitted") return PlanState::kSubmitted;
  if (s == "returned") return PlanState::kReturned;
  if (s == "accepted") return PlanState::kAccepted;
  return PlanState::kDraft;
}

void WriteContent(sql::Connection& conn, const std::string& id, const PlanContent& c) {
  for (const char* table : {"plan_targets", "plan_tasks", "plan_funding"}) {
    Query(conn, absl::StrCat("DELETE FROM ", table, " WHERE plan_id = ?")).Str(id).Exec();
  }
  for (size_t i = 0; i < c.targets.size(); ++i) {
    const Target& t = c.targets[i];
    Query q(conn,
            "INSERT INTO plan_targets (plan_id, position, indicator_code, reach_standard, "
            "value_fixed4, note, focus) VALUES (?, ?, ?, ?, ?, ?, ?)");
    q.Str(id).Int(static_cast<int64_t>(i)).Str(t.indicator_code).Bool(t.reach_standard);
    if (t.value_fixed4.has_value()) {
      q.Int(*t.value_fixed4);
    } else {
      q.Null();
    }
    q.Str(t.note).Bool(t.focus).Exec();
  }
  for (size_t i = 0; i < c.tasks.size(); ++i) {
    const Task& t = c.tasks[i];
    Query(conn,
          "INSERT INTO plan_tasks (plan_id, position, content_group, content, responsible, "
          "start_date, end_date, indicator_codes, cost_dong) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .Str(id)
        .Int(static_cast<int64_t>(i))
        .Int(static_cast<int64_t>(t.group))
        .Str(t.content)
        .Str(t.responsible)
        .Str(absl::FormatCivilTime(t.start))
        .Str(absl::FormatCivilTime(t.end))
        .Str(absl::StrJoin(t.indicator_codes, ","))
        .Int(t.cost_dong)
        .Exec();
  }
  auto funding = [&](const char* kind, int code, int64_t amount) {
    Query(conn, "INSERT INTO plan_funding (plan_id, kind, code, amount_dong) VALUES (?, ?, ?, ?)")
        .Str(id)
        .Str(kind)
        .Int(code)
        .Int(amount)
        .Exec();
  };
  for (const auto& [group, amount] : c.funding.by_group) {
    funding("group", static_cast<int>(group), amount);
  }
  for (const auto& [source, amount] : c.funding.by_source) {
    funding("source", static_cast<int>(source), amount);
  }
}

// The history entry and the outbox event of a change. The event names the plan, its directive and
// unit (with the unit's name, for people), the new state, who and why; a submission says whether
// it was late.
void RecordEvent(sql::Connection& conn, const std::string& id, const char* action, PlanState from,
                 PlanState to, const std::string& actor, absl::Time now, const std::string& reason,
                 int64_t version, const std::string& unit_display_name = "",
                 std::optional<bool> late = std::nullopt) {
  Query(conn,
        "INSERT INTO plan_history (plan_id, action, from_state, to_state, actor, at, reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .Str(id)
      .Str(action)
      .Str(PlanStateName(from))
      .Str(PlanStateName(to))
      .Str(actor)
      .Time(now)
      .Str(reason)
      .Exec();
  WriteOutboxEvent(
      conn, absl::StrCat("plans/", id, "/", action, "/", version), absl::StrCat("plan.", action),
      absl::StrCat("plans/", id),
      absl::StrCat(
          "{\"plan\":", JsonString(id), ",\"directive\":", JsonString(id.substr(0, id.rfind('.'))),
          ",\"unit\":", JsonString(absl::StrCat("units/", id.substr(id.rfind('.') + 1))),
          ",\"unit_display_name\":", JsonString(unit_display_name),
          ",\"state\":", JsonString(PlanStateName(to)), ",\"actor\":", JsonString(actor),
          ",\"reason\":", JsonString(reason),
          late.has_value() ? absl::StrCat(",\"late\":", *late ? "true" : "false") : "", "}"),
      now);
}

constexpr char kColumns[] =
    "id, directive_id, unit_code, state, status_summary, solutions, organisation, "
    "funding_total_dong, submitted_at, submitted_late, created_by, created_at, updated_by, "
    "updated_at, version, unit_display_name, unit_path, baseline_assessment, "
    "baseline_criteria_set, baseline_criteria_met, baseline_criteria_total, baseline_known, "
    "baseline_met, baseline_not_met";

std::vector<std::string> Codes(const std::string& text) {
  return absl::StrSplit(text, ',', absl::SkipEmpty());
}

// A plan's row (the columns of kColumns, in order), without content or history.
Plan ReadRow(const sql::ResultSet& rs) {
  Plan p;
  p.id = GetStr(rs, 1);
  p.directive_id = GetStr(rs, 2);
  p.unit_code = GetStr(rs, 3);
  p.state = ParseState(GetStr(rs, 4));
  p.content.status_summary = GetStr(rs, 5);
  p.content.solutions = GetStr(rs, 6);
  p.content.organisation = GetStr(rs, 7);
  p.content.funding.total_dong = rs.getInt64(8);
  p.submitted_at = GetOptTime(rs, 9);
  p.submitted_late = rs.getBoolean(10);
  p.created_by = GetStr(rs, 11);
  p.created_at = GetTime(rs, 12);
  p.updated_by = GetStr(rs, 13);
  p.updated_at = GetTime(rs, 14);
  p.version = rs.getInt64(15);
  p.unit_display_name = GetStr(rs, 16);
  p.unit_path = GetStr(rs, 17);
  p.baseline.assessment = GetStr(rs, 18);
  p.baseline.criteria_set = GetStr(rs, 19);
  p.baseline.criteria_met = rs.getInt(20);
  p.baseline.criteria_total = rs.getInt(21);
  p.baseline.known = Codes(GetStr(rs, 22));
  p.baseline.met = Codes(GetStr(rs, 23));
  p.baseline.not_met = Codes(GetStr(rs, 24));
  return p;
}

// Reads the targets, tasks and funding of `plans` with three statements whatever their number.
void LoadContent(sql::Connection& conn, std::vector<Plan>& plans) {
  if (plans.empty()) {
    return;
  }
  std::map<std::string, Plan*> by_id;
  std::vector<std::string> marks;
  for (Plan& p : plans) {
    by_id[p.id] = &p;
    marks.push_back("?");
  }
  const std::string in = absl::StrCat(" WHERE plan_id IN (", absl::StrJoin(marks, ", "), ")");
  auto rows = [&](const std::string& statement) {
    Query q(conn, statement);
    for (const Plan& p : plans) {
      q.Str(p.id);
    }
    return q.Rows();
  };
  auto rs = rows(absl::StrCat(
      "SELECT plan_id, indicator_code, reach_standard, value_fixed4, note, focus FROM plan_targets",
      in, " ORDER BY plan_id, position"));
  while (rs->next()) {
    Target t;
    t.indicator_code = GetStr(*rs, 2);
    t.reach_standard = rs->getBoolean(3);
    if (!rs->isNull(4)) {
      t.value_fixed4 = rs->getInt64(4);
    }
    t.note = GetStr(*rs, 5);
    t.focus = rs->getBoolean(6);
    by_id[GetStr(*rs, 1)]->content.targets.push_back(std::move(t));
  }
  rs = rows(
      absl::StrCat("SELECT plan_id, content_group, content, responsible, start_date, end_date, "
                   "indicator_codes, cost_dong FROM plan_tasks",
                   in, " ORDER BY plan_id, position"));
  while (rs->next()) {
    Task t;
    t.group = static_cast<ContentGroup>(rs->getInt(2));
    t.content = GetStr(*rs, 3);
    t.responsible = GetStr(*rs, 4);
    absl::ParseCivilTime(GetStr(*rs, 5), &t.start);
    absl::ParseCivilTime(GetStr(*rs, 6), &t.end);
    t.indicator_codes = absl::StrSplit(GetStr(*rs, 7), ',', absl::SkipEmpty());
    t.cost_dong = rs->getInt64(8);
    by_id[GetStr(*rs, 1)]->content.tasks.push_back(std::move(t));
  }
  rs = rows(absl::StrCat("SELECT plan_id, kind, code, amount_dong FROM plan_funding", in));
  while (rs->next()) {
    Funding& f = by_id[GetStr(*rs, 1)]->content.funding;
    if (GetStr(*rs, 2) == "group") {
      f.by_group[static_cast<ContentGroup>(rs->getInt(3))] = rs->getInt64(4);
    } else {
      f.by_source[static_cast<FundingSource>(rs->getInt(3))] = rs->getInt64(4);
    }
  }
}

// Reads a plan's row, its content and its history.
absl::StatusOr<Plan> Load(sql::Connection& conn, const std::string& id, bool for_update) {
  auto rs = Query(conn, absl::StrCat("SELECT ", kColumns, " FROM plans WHERE id = ?",
                                     for_update ? " FOR UPDATE" : ""))
                .Str(id)
                .Rows();
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat("plan '", id, "' does not exist"));
  }
  std::vector<Plan> one = {ReadRow(*rs)};
  LoadContent(conn, one);
  Plan p = std::move(one.front());
  rs = Query(conn,
             "SELECT action, from_state, to_state, actor, at, reason FROM plan_history "
             "WHERE plan_id = ? ORDER BY id")
           .Str(id)
           .Rows();
  while (rs->next()) {
    p.history.push_back(PlanEvent{GetStr(*rs, 1), ParseState(GetStr(*rs, 2)),
                                  ParseState(GetStr(*rs, 3)), GetStr(*rs, 4), GetTime(*rs, 5),
                                  GetStr(*rs, 6)});
  }
  return p;
}

// The plan, locked for the rest of the transaction, when `action` may happen to it now:
// ABORTED when `expected_version` (0: any) is stale, FAILED_PRECONDITION when its state does not
// allow the action.
absl::StatusOr<Plan> LoadForChange(sql::Connection& conn, const std::string& id,
                                   int64_t expected_version, PlanAction action) {
  NTM_ASSIGN_OR_RETURN(Plan current, Load(conn, id, true));
  if (expected_version != 0 && current.version != expected_version) {
    return absl::AbortedError(
        absl::StrCat("plan '", id, "' changed since it was read; read it again"));
  }
  NTM_RETURN_IF_ERROR(CheckTransition(current.state, action));
  return current;
}

}  // namespace

absl::StatusOr<Plan> MySqlPlanRepository::Create(const std::string& directive_id,
                                                 const std::string& unit_code,
                                                 const PlanContent& content,
                                                 const std::string& actor, absl::Time now) {
  Plan draft;
  draft.directive_id = directive_id;
  draft.unit_code = unit_code;
  draft.content = content;
  return Create(draft, actor, now);
}

absl::StatusOr<Plan> MySqlPlanRepository::Create(const Plan& draft, const std::string& actor,
                                                 absl::Time now) {
  const std::string& directive_id = draft.directive_id;
  const std::string& unit_code = draft.unit_code;
  const PlanContent& content = draft.content;
  const std::string id = absl::StrCat(directive_id, ".", unit_code);
  Plan plan;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    auto rs = Query(conn, "SELECT 1 FROM directives WHERE id = ?").Str(directive_id).Rows();
    if (!rs->next()) {
      return absl::NotFoundError(
          absl::StrCat("directive: directive '", directive_id, "' does not exist"));
    }
    rs = Query(conn, "SELECT 1 FROM directive_units WHERE directive_id = ? AND unit_code = ?")
             .Str(directive_id)
             .Str(unit_code)
             .Rows();
    if (!rs->next()) {
      return absl::FailedPreconditionError(
          absl::StrCat("unit: directive '", directive_id, "' does not address units/", unit_code));
    }
    try {
      Query(conn,
            "INSERT INTO plans (id, directive_id, unit_code, state, status_summary, solutions, "
            "organisation, funding_total_dong, created_by, created_at, updated_by, updated_at, "
            "version, unit_display_name, unit_path, baseline_assessment, baseline_criteria_set, "
            "baseline_criteria_met, baseline_criteria_total, baseline_known, baseline_met, "
            "baseline_not_met) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?)")
          .Str(id)
          .Str(directive_id)
          .Str(unit_code)
          .Str(content.status_summary)
          .Str(content.solutions)
          .Str(content.organisation)
          .Int(content.funding.total_dong)
          .Str(actor)
          .Time(now)
          .Str(actor)
          .Time(now)
          .Str(draft.unit_display_name)
          .Str(draft.unit_path)
          .Str(draft.baseline.assessment)
          .Str(draft.baseline.criteria_set)
          .Int(draft.baseline.criteria_met)
          .Int(draft.baseline.criteria_total)
          .Str(absl::StrJoin(draft.baseline.known, ","))
          .Str(absl::StrJoin(draft.baseline.met, ","))
          .Str(absl::StrJoin(draft.baseline.not_met, ","))
          .Exec();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() == 1062) {
        return absl::AlreadyExistsError(absl::StrCat("units/", unit_code,
                                                     " already has its plan for directive '",
                                                     directive_id, "': plans/", id));
      }
      throw;
    }
    WriteContent(conn, id, content);
    RecordEvent(conn, id, "create", PlanState::kDraft, PlanState::kDraft, actor, now, "", 1,
                draft.unit_display_name);
    NTM_ASSIGN_OR_RETURN(plan, Load(conn, id, false));
    return absl::OkStatus();
  }));
  return plan;
}

absl::StatusOr<std::vector<Plan>> MySqlPlanRepository::List(const PlanFilter& filter,
                                                            const std::string& after_id, int limit,
                                                            bool with_content) {
  std::vector<Plan> out;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    out.clear();
    // After (directive, unit) of `after_id` ("<directive>.<unit>"; directive ids have no '.').
    const size_t dot = after_id.rfind('.');
    const std::string after_directive =
        dot == std::string::npos ? after_id : after_id.substr(0, dot);
    const std::string after_unit = dot == std::string::npos ? "" : after_id.substr(dot + 1);
    std::string where = "(directive_id > ? OR (directive_id = ? AND unit_code > ?))";
    if (!filter.below_unit_code.empty()) {
      where += " AND unit_path LIKE ?";
    }
    if (!filter.directive_id.empty()) {
      where += " AND directive_id = ?";
    }
    if (filter.state.has_value()) {
      where += " AND state = ?";
    }
    Query q(conn, absl::StrCat("SELECT ", kColumns, " FROM plans WHERE ", where,
                               " ORDER BY directive_id, unit_code",
                               limit > 0 ? absl::StrCat(" LIMIT ", limit) : ""));
    q.Str(after_directive).Str(after_directive).Str(after_unit);
    if (!filter.below_unit_code.empty()) {
      q.Str(absl::StrCat("%/", filter.below_unit_code, "/%"));
    }
    if (!filter.directive_id.empty()) {
      q.Str(filter.directive_id);
    }
    if (filter.state.has_value()) {
      q.Str(PlanStateName(*filter.state));
    }
    auto rs = q.Rows();
    while (rs->next()) {
      out.push_back(ReadRow(*rs));
    }
    if (with_content) {
      LoadContent(conn, out);
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Plan> MySqlPlanRepository::Get(const std::string& id) {
  Plan plan;
  NTM_RETURN_IF_ERROR(pool_->WithConnection([&](sql::Connection& conn) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(plan, Load(conn, id, false));
    return absl::OkStatus();
  }));
  return plan;
}

absl::StatusOr<Plan> MySqlPlanRepository::UpdateContent(const std::string& id,
                                                        const PlanContent& content,
                                                        int64_t expected_version,
                                                        const std::string& actor, absl::Time now) {
  Plan plan;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(Plan current,
                         LoadForChange(conn, id, expected_version, PlanAction::kEdit));
    Query(conn,
          "UPDATE plans SET status_summary = ?, solutions = ?, organisation = ?, "
          "funding_total_dong = ?, updated_by = ?, updated_at = ?, version = version + 1 "
          "WHERE id = ?")
        .Str(content.status_summary)
        .Str(content.solutions)
        .Str(content.organisation)
        .Int(content.funding.total_dong)
        .Str(actor)
        .Time(now)
        .Str(id)
        .Exec();
    WriteContent(conn, id, content);
    RecordEvent(conn, id, "edit", current.state, current.state, actor, now, "", current.version + 1,
                current.unit_display_name);
    NTM_ASSIGN_OR_RETURN(plan, Load(conn, id, false));
    return absl::OkStatus();
  }));
  return plan;
}

absl::StatusOr<Plan> MySqlPlanRepository::Transition(const std::string& id, PlanAction action,
                                                     int64_t expected_version,
                                                     const std::string& actor,
                                                     const std::string& reason, absl::Time now) {
  Plan plan;
  std::optional<bool> late;
  NTM_RETURN_IF_ERROR(pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    late.reset();
    NTM_ASSIGN_OR_RETURN(Plan current, LoadForChange(conn, id, expected_version, action));
    if (action == PlanAction::kReturn && absl::StripAsciiWhitespace(reason).empty()) {
      return absl::InvalidArgumentError("reason: say why the plan is returned");
    }
    const PlanState to = After(current.state, action);
    if (action == PlanAction::kSubmit) {
      const std::vector<std::string> problems = FundingProblems(current.content.funding);
      if (!problems.empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat("the funding does not add up: ", absl::StrJoin(problems, "; ")));
      }
      auto rs = Query(conn,
                      "SELECT d.deadline, u.extended_deadline FROM directives d JOIN "
                      "directive_units u ON u.directive_id = d.id WHERE d.id = ? AND "
                      "u.unit_code = ?")
                    .Str(current.directive_id)
                    .Str(current.unit_code)
                    .Rows();
      if (!rs->next()) {
        return absl::FailedPreconditionError(
            absl::StrCat("unit: the directive no longer addresses units/", current.unit_code));
      }
      late = IsLate(now, GetTime(*rs, 1), GetOptTime(*rs, 2));
      Query(conn,
            "UPDATE plans SET state = ?, submitted_at = ?, submitted_late = ?, updated_by = ?, "
            "updated_at = ?, version = version + 1 WHERE id = ?")
          .Str(PlanStateName(to))
          .Time(now)
          .Bool(*late)
          .Str(actor)
          .Time(now)
          .Str(id)
          .Exec();
    } else {
      Query(conn,
            "UPDATE plans SET state = ?, updated_by = ?, updated_at = ?, version = version + 1 "
            "WHERE id = ?")
          .Str(PlanStateName(to))
          .Str(actor)
          .Time(now)
          .Str(id)
          .Exec();
    }
    RecordEvent(conn, id, PlanActionName(action), current.state, to, actor, now, reason,
                current.version + 1, current.unit_display_name, late);
    NTM_ASSIGN_OR_RETURN(plan, Load(conn, id, false));
    return absl::OkStatus();
  }));
  return plan;
}

}  // namespace ntm::plans
