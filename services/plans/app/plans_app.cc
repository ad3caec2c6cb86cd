#include "services/plans/app/plans_app.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/common/log.h"
#include "services/common/status.h"

namespace ntm::plans {
namespace {

// INVALID_ARGUMENT listing every problem, each prefixed with the request field it is under.
absl::Status Problems(const std::vector<std::string>& problems, absl::string_view prefix) {
  std::vector<std::string> named;
  for (const std::string& p : problems) {
    named.push_back(absl::StrCat(prefix, p));
  }
  return absl::InvalidArgumentError(absl::StrJoin(named, "; "));
}

absl::Status DirectiveNotFound(const std::string& issuer, const std::string& id) {
  return absl::NotFoundError(absl::StrCat("units/", issuer, "/directives/", id, " not found"));
}

bool Asks(const Directive& d, Deliverable what) {
  return std::find(d.deliverables.begin(), d.deliverables.end(), what) != d.deliverables.end();
}

const AddressedUnit* FindUnit(const Directive& d, const std::string& code) {
  for (const AddressedUnit& u : d.units) {
    if (u.unit_code == code) {
      return &u;
    }
  }
  return nullptr;
}

// Section I's opening words, from the baseline.
std::string SummaryText(const Baseline& b, const std::string& display_name) {
  // "units/03424/assessments/2023-12-31" -> "31/12/2023".
  std::string as_of = b.assessment.substr(b.assessment.rfind('/') + 1);
  absl::CivilDay day;
  if (absl::ParseCivilTime(as_of, &day)) {
    as_of = absl::StrFormat("%02d/%02d/%04d", day.day(), day.month(), day.year());
  }
  std::string text = absl::StrCat(display_name, ": theo kết quả tự đánh giá đến ngày ", as_of,
                                  ", đạt ", b.criteria_met, "/", b.criteria_total, " tiêu chí");
  if (b.not_met.empty()) {
    absl::StrAppend(&text, "; tất cả các chỉ tiêu đã đạt.");
  } else {
    absl::StrAppend(&text, "; còn ", b.not_met.size(),
                    " chỉ tiêu chưa đạt: ", absl::StrJoin(b.not_met, ", "), ".");
  }
  return text;
}

}  // namespace

absl::StatusOr<Directive> PlansApp::CreateDirective(const Caller& caller, Directive d) {
  d.created_by = caller.principal;
  // Field checks first, so a malformed request is refused without asking anyone.
  {
    Directive probe = d;
    if (probe.units.empty()) {
      probe.units.push_back(AddressedUnit{"0"});
    }
    const std::vector<std::string> problems = DirectiveProblems(probe);
    if (!problems.empty()) {
      return Problems(problems, "directive.");
    }
  }
  NTM_ASSIGN_OR_RETURN(UnitInfo issuer, assessment_->GetUnit(caller, d.issuing_unit_code));
  NTM_ASSIGN_OR_RETURN(std::vector<UnitInfo> communes,
                       assessment_->ListCommunes(caller, issuer.code));
  std::map<std::string, std::string> names;
  for (const UnitInfo& c : communes) {
    names[c.code] = c.display_name;
  }
  std::vector<std::string> problems;
  if (d.units.empty()) {
    for (const UnitInfo& c : communes) {
      d.units.push_back(AddressedUnit{c.code, c.display_name});
    }
    if (d.units.empty()) {
      problems.push_back(absl::StrCat("addressed_units: units/", issuer.code,
                                      " has no commune below it; name the units addressed"));
    }
  } else {
    for (size_t i = 0; i < d.units.size(); ++i) {
      auto it = names.find(d.units[i].unit_code);
      if (it == names.end()) {
        problems.push_back(absl::StrCat("addressed_units[", i, "].unit: units/",
                                        d.units[i].unit_code, " is not a commune below units/",
                                        issuer.code));
      } else {
        d.units[i].display_name = it->second;
      }
    }
  }
  if (!d.focus_indicators.empty()) {
    NTM_ASSIGN_OR_RETURN(std::set<std::string> known,
                         assessment_->IndicatorCodes(caller, issuer.code));
    for (size_t i = 0; i < d.focus_indicators.size(); ++i) {
      if (known.count(d.focus_indicators[i]) == 0) {
        problems.push_back(absl::StrCat("focus_indicators[", i, "]: indicator ",
                                        d.focus_indicators[i],
                                        " is not in the criteria catalog for units/", issuer.code));
      }
    }
  }
  if (const std::vector<std::string> more = DirectiveProblems(d); !more.empty()) {
    problems.insert(problems.end(), more.begin(), more.end());
  }
  if (!problems.empty()) {
    return Problems(problems, "directive.");
  }
  NTM_ASSIGN_OR_RETURN(Directive stored, directives_->Create(d, caller.principal, clock_->Now()));
  log::Info("directive issued", {{"directive", stored.id},
                                 {"issuing_unit", stored.issuing_unit_code},
                                 {"units", absl::StrCat(stored.units.size())},
                                 {"by", caller.principal}});
  return stored;
}

absl::StatusOr<Directive> PlansApp::GetDirective(const std::string& issuing_unit_code,
                                                 const std::string& id) {
  absl::StatusOr<Directive> d = directives_->Get(id);
  if (absl::IsNotFound(d.status()) || (d.ok() && d->issuing_unit_code != issuing_unit_code)) {
    return DirectiveNotFound(issuing_unit_code, id);
  }
  return d;
}

absl::StatusOr<std::vector<Directive>> PlansApp::ListDirectives(
    const std::string& issuing_unit_code, int year) {
  return directives_->List(issuing_unit_code, year);
}

absl::StatusOr<Directive> PlansApp::ExtendDeadline(const Caller& caller,
                                                   const std::string& issuing_unit_code,
                                                   const std::string& id,
                                                   const std::string& unit_code,
                                                   absl::Time deadline, const std::string& reason,
                                                   int64_t expected_version) {
  NTM_RETURN_IF_ERROR(GetDirective(issuing_unit_code, id).status());
  NTM_ASSIGN_OR_RETURN(
      Directive d, directives_->ExtendDeadline(id, unit_code, deadline, reason, expected_version,
                                               caller.principal, clock_->Now()));
  log::Info("deadline extended", {{"directive", id},
                                  {"unit", unit_code},
                                  {"deadline", absl::FormatTime(deadline)},
                                  {"by", caller.principal}});
  return d;
}

absl::StatusOr<PlanView> PlansApp::View(Plan plan) {
  NTM_ASSIGN_OR_RETURN(Directive d, directives_->Get(plan.directive_id));
  PlanView v;
  v.issuing_unit_code = d.issuing_unit_code;
  const AddressedUnit* u = FindUnit(d, plan.unit_code);
  v.deadline = EffectiveDeadline(d.deadline, u ? u->extended_deadline : std::nullopt);
  v.plan = std::move(plan);
  return v;
}

absl::StatusOr<PlanView> PlansApp::CreatePlan(const Caller& caller, const std::string& unit_code,
                                              const std::string& issuing_unit_code,
                                              const std::string& directive_id) {
  NTM_ASSIGN_OR_RETURN(Directive d, GetDirective(issuing_unit_code, directive_id));
  if (!Asks(d, Deliverable::kPlan)) {
    return absl::FailedPreconditionError(absl::StrCat("directive: units/", issuing_unit_code,
                                                      "/directives/", directive_id,
                                                      " does not ask for a plan"));
  }
  const AddressedUnit* addressed = FindUnit(d, unit_code);
  if (addressed == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("parent: units/", issuing_unit_code,
                                                      "/directives/", directive_id,
                                                      " does not address units/", unit_code));
  }
  const std::string id = absl::StrCat(directive_id, ".", unit_code);
  if (absl::StatusOr<Plan> existing = plans_->Get(id); existing.ok()) {
    return absl::AlreadyExistsError(absl::StrCat("units/", unit_code,
                                                 " already has its plan for the directive: units/",
                                                 unit_code, "/plans/", directive_id));
  } else if (!absl::IsNotFound(existing.status())) {
    return existing.status();
  }
  // Everything the plan needs from the assessment service is asked for before anything is
  // written: when it cannot be reached, no half plan is left behind.
  NTM_ASSIGN_OR_RETURN(std::optional<assessment::client::Standing> standing,
                       assessment_->LatestStanding(caller, unit_code));
  std::optional<Baseline> baseline;
  if (standing.has_value()) {
    baseline = Baseline{standing->assessment,     standing->criteria_set, standing->criteria_met,
                        standing->criteria_total, standing->known,        standing->met,
                        standing->not_met};
  }
  if (!baseline.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("parent: units/", unit_code,
                     " has no submitted assessment to start the plan from; submit the commune's "
                     "self-assessment first"));
  }
  Plan draft;
  draft.directive_id = directive_id;
  draft.unit_code = unit_code;
  draft.unit_display_name = addressed->display_name;
  std::vector<std::string> chain = {unit_code};
  for (int depth = 0; depth < 6; ++depth) {
    NTM_ASSIGN_OR_RETURN(UnitInfo u, assessment_->GetUnit(caller, chain.back()));
    if (depth == 0 && !u.display_name.empty()) {
      draft.unit_display_name = u.display_name;
    }
    if (u.parent_code.empty()) {
      break;
    }
    chain.push_back(u.parent_code);
  }
  std::reverse(chain.begin(), chain.end());
  draft.unit_path = absl::StrCat("/", absl::StrJoin(chain, "/"), "/");
  draft.baseline = *baseline;
  for (const TargetProposal& p : ProposeTargets(baseline->not_met, d.focus_indicators)) {
    Target t;
    t.indicator_code = p.indicator_code;
    t.reach_standard = true;
    t.focus = p.focus;
    draft.content.targets.push_back(std::move(t));
  }
  draft.content.status_summary = SummaryText(*baseline, draft.unit_display_name);
  NTM_ASSIGN_OR_RETURN(Plan plan, plans_->Create(draft, caller.principal, clock_->Now()));
  log::Info("plan created", {{"plan", plan.id},
                             {"baseline", baseline->assessment},
                             {"targets", absl::StrCat(plan.content.targets.size())},
                             {"by", caller.principal}});
  return View(std::move(plan));
}

absl::StatusOr<PlanView> PlansApp::GetPlan(const std::string& unit_code,
                                           const std::string& directive_id) {
  absl::StatusOr<Plan> plan = plans_->Get(absl::StrCat(directive_id, ".", unit_code));
  if (absl::IsNotFound(plan.status())) {
    return absl::NotFoundError(
        absl::StrCat("units/", unit_code, "/plans/", directive_id, " not found"));
  }
  NTM_RETURN_IF_ERROR(plan.status());
  return View(*std::move(plan));
}

absl::StatusOr<std::vector<PlanView>> PlansApp::ListPlans(const PlanFilter& filter,
                                                          const std::string& issuing_unit_code,
                                                          const std::string& after_id, int limit) {
  if (!filter.directive_id.empty()) {
    NTM_RETURN_IF_ERROR(GetDirective(issuing_unit_code, filter.directive_id).status());
  }
  NTM_ASSIGN_OR_RETURN(std::vector<Plan> plans, plans_->List(filter, after_id, limit));
  std::map<std::string, Directive> directives;
  std::vector<PlanView> out;
  for (Plan& p : plans) {
    auto it = directives.find(p.directive_id);
    if (it == directives.end()) {
      NTM_ASSIGN_OR_RETURN(Directive d, directives_->Get(p.directive_id));
      it = directives.emplace(p.directive_id, std::move(d)).first;
    }
    PlanView v;
    v.issuing_unit_code = it->second.issuing_unit_code;
    const AddressedUnit* u = FindUnit(it->second, p.unit_code);
    v.deadline = EffectiveDeadline(it->second.deadline, u ? u->extended_deadline : std::nullopt);
    v.plan = std::move(p);
    out.push_back(std::move(v));
  }
  return out;
}

absl::StatusOr<PlanView> PlansApp::UpdatePlan(const Caller& caller, const std::string& unit_code,
                                              const std::string& directive_id,
                                              const PlanUpdate& update, int64_t expected_version) {
  NTM_ASSIGN_OR_RETURN(PlanView current, GetPlan(unit_code, directive_id));
  const Plan& plan = current.plan;
  if (expected_version != 0 && plan.version != expected_version) {
    return absl::AbortedError(absl::StrCat("etag: units/", unit_code, "/plans/", directive_id,
                                           " changed since it was read; read it again"));
  }
  if (absl::Status s = CheckTransition(plan.state, PlanAction::kEdit); !s.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("units/", unit_code, "/plans/", directive_id, ": ", s.message()));
  }
  NTM_ASSIGN_OR_RETURN(Directive d, directives_->Get(directive_id));
  PlanContent content = plan.content;
  if (update.status_summary) content.status_summary = *update.status_summary;
  if (update.targets) {
    content.targets = *update.targets;
    const std::set<std::string> focus(d.focus_indicators.begin(), d.focus_indicators.end());
    for (Target& t : content.targets) {
      t.focus = focus.count(t.indicator_code) > 0;
    }
  }
  if (update.tasks) content.tasks = *update.tasks;
  if (update.funding) content.funding = *update.funding;
  if (update.solutions) content.solutions = *update.solutions;
  if (update.organisation) content.organisation = *update.organisation;
  IndicatorFacts facts;
  facts.known.insert(plan.baseline.known.begin(), plan.baseline.known.end());
  facts.met.insert(plan.baseline.met.begin(), plan.baseline.met.end());
  if (const auto problems = PlanContentProblems(content, facts); !problems.empty()) {
    return Problems(problems, "plan.");
  }
  // The new content is built from the plan as read above; it is written only if the plan is still
  // that version (without an etag too), so a concurrent edit of other sections is never undone:
  // the later call gets ABORTED and reads again.
  absl::StatusOr<Plan> updated =
      plans_->UpdateContent(plan.id, content, plan.version, caller.principal, clock_->Now());
  if (absl::IsAborted(updated.status()) || absl::IsFailedPrecondition(updated.status())) {
    return absl::Status(updated.status().code(),
                        absl::StrCat("units/", unit_code, "/plans/", directive_id, ": ",
                                     updated.status().message()));
  }
  NTM_RETURN_IF_ERROR(updated.status());
  log::Info("plan edited", {{"plan", updated->id}, {"by", caller.principal}});
  return View(*std::move(updated));
}

absl::StatusOr<PlanView> PlansApp::Transition(const Caller& caller, const std::string& unit_code,
                                              const std::string& directive_id, PlanAction action,
                                              int64_t expected_version, const std::string& reason) {
  NTM_RETURN_IF_ERROR(GetPlan(unit_code, directive_id).status());
  absl::StatusOr<Plan> plan =
      plans_->Transition(absl::StrCat(directive_id, ".", unit_code), action, expected_version,
                         caller.principal, reason, clock_->Now());
  if (!plan.ok()) {
    if (absl::IsFailedPrecondition(plan.status()) || absl::IsAborted(plan.status())) {
      return absl::Status(plan.status().code(),
                          absl::StrCat("units/", unit_code, "/plans/", directive_id, ": ",
                                       plan.status().message()));
    }
    return plan.status();
  }
  log::Info("plan transition", {{"plan", plan->id},
                                {"action", PlanActionName(action)},
                                {"state", PlanStateName(plan->state)},
                                {"late", plan->submitted_late ? "true" : "false"},
                                {"by", caller.principal}});
  return View(*std::move(plan));
}

absl::StatusOr<SubmissionStatusView> PlansApp::GetSubmissionStatus(
    const std::string& issuing_unit_code, const std::string& directive_id) {
  SubmissionStatusView view;
  NTM_ASSIGN_OR_RETURN(view.directive, GetDirective(issuing_unit_code, directive_id));
  view.as_of = clock_->Now();
  PlanFilter filter;
  filter.directive_id = directive_id;
  // Where each unit stands needs the plans' state and submission, not their content.
  NTM_ASSIGN_OR_RETURN(std::vector<Plan> plans, plans_->List(filter, "", 0, false));
  std::map<std::string, Plan> by_unit;
  for (Plan& p : plans) {
    std::string code = p.unit_code;
    by_unit.emplace(std::move(code), std::move(p));
  }
  for (SubmissionStatus s : {SubmissionStatus::kNotStarted, SubmissionStatus::kDraft,
                             SubmissionStatus::kSubmittedOnTime, SubmissionStatus::kSubmittedLate,
                             SubmissionStatus::kReturned, SubmissionStatus::kAccepted}) {
    view.counts[s] = 0;
  }
  for (const AddressedUnit& u : view.directive.units) {
    UnitSubmissionView row;
    row.unit = u;
    row.deadline = EffectiveDeadline(view.directive.deadline, u.extended_deadline);
    std::optional<PlanProgress> progress;
    if (auto it = by_unit.find(u.unit_code); it != by_unit.end()) {
      progress = PlanProgress{it->second.state, it->second.submitted_at};
      row.plan = it->second;
    }
    row.status = Classify(progress, view.directive.deadline, u.extended_deadline);
    // A submission stays as it was judged when it was made: an extension granted later does not
    // turn a late plan into one sent on time.
    if (row.plan.has_value() && (row.status == SubmissionStatus::kSubmittedOnTime ||
                                 row.status == SubmissionStatus::kSubmittedLate)) {
      row.status = row.plan->submitted_late ? SubmissionStatus::kSubmittedLate
                                            : SubmissionStatus::kSubmittedOnTime;
    }
    row.overdue =
        (row.status == SubmissionStatus::kNotStarted || row.status == SubmissionStatus::kDraft) &&
        view.as_of > row.deadline;
    view.counts[row.status]++;
    view.overdue += row.overdue ? 1 : 0;
    view.units.push_back(std::move(row));
  }
  return view;
}

absl::StatusOr<PlanSummaryView> PlansApp::Summary(const Caller& caller,
                                                  const std::string& issuing_unit_code,
                                                  const std::string& directive_id,
                                                  bool include_drafts, const std::string& agency) {
  PlanSummaryView view;
  NTM_ASSIGN_OR_RETURN(view.directive, GetDirective(issuing_unit_code, directive_id));
  PlanFilter filter;
  filter.directive_id = directive_id;
  NTM_ASSIGN_OR_RETURN(std::vector<Plan> plans, plans_->List(filter, "", 0));
  std::vector<const Plan*> counted;
  for (const Plan& p : plans) {
    if (include_drafts || p.state != PlanState::kDraft) {
      counted.push_back(&p);
    }
  }
  std::optional<std::set<std::string>> owned;
  if (!agency.empty()) {
    view.agency = agency;
    std::set<std::string> sets;
    for (const Plan* p : counted) {
      sets.insert(p->baseline.criteria_set);
    }
    owned.emplace();
    for (const std::string& set : sets) {
      NTM_ASSIGN_OR_RETURN(std::set<std::string> codes,
                           assessment_->OwnedIndicators(caller, issuing_unit_code, set, agency));
      owned->insert(codes.begin(), codes.end());
    }
  }
  const std::set<std::string> focus(view.directive.focus_indicators.begin(),
                                    view.directive.focus_indicators.end());
  std::map<std::string, IndicatorTargetsView> indicators;
  for (ContentGroup g :
       {ContentGroup::kPlanning, ContentGroup::kInfrastructure, ContentGroup::kEconomy,
        ContentGroup::kCultureSocietyEnvironment, ContentGroup::kPoliticalSystem}) {
    view.by_group[g] = 0;
  }
  for (int s = 1; s <= 8; ++s) {
    view.by_source[static_cast<FundingSource>(s)] = 0;
  }
  for (const Plan* p : counted) {
    view.unit_codes.push_back(p->unit_code);
    for (const Target& t : p->content.targets) {
      if (owned.has_value() && owned->count(t.indicator_code) == 0) {
        continue;
      }
      IndicatorTargetsView& row = indicators[t.indicator_code];
      row.indicator_code = t.indicator_code;
      row.focus = focus.count(t.indicator_code) > 0;
      row.unit_codes.push_back(p->unit_code);
      row.reach_standard_count += t.reach_standard ? 1 : 0;
    }
    bool overflow = false;
    for (const auto& [g, amount] : p->content.funding.by_group) {
      overflow |= __builtin_add_overflow(view.by_group[g], amount, &view.by_group[g]);
    }
    for (const auto& [s, amount] : p->content.funding.by_source) {
      overflow |= __builtin_add_overflow(view.by_source[s], amount, &view.by_source[s]);
    }
    overflow |=
        __builtin_add_overflow(view.total_dong, p->content.funding.total_dong, &view.total_dong);
    if (overflow) {
      return absl::InternalError(
          "the funding totals of the district's plans do not fit in 64 bits");
    }
  }
  for (auto& [code, row] : indicators) {
    view.indicators.push_back(std::move(row));
  }
  // By indicator code as numbers: 2.1 before 10.1, 17.2 before 17.10.
  auto key = [](const std::string& code) {
    int major = 0, minor = 0;
    std::sscanf(code.c_str(), "%d.%d", &major, &minor);
    return std::make_pair(major, minor);
  };
  std::sort(view.indicators.begin(), view.indicators.end(),
            [&](const IndicatorTargetsView& a, const IndicatorTargetsView& b) {
              return key(a.indicator_code) < key(b.indicator_code);
            });
  return view;
}

}  // namespace ntm::plans
