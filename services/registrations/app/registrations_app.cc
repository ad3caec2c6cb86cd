#include "services/registrations/app/registrations_app.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/log.h"
#include "services/common/status.h"
#include "services/registrations/domain/rules.h"

namespace ntm::registrations {
namespace {

using plans::PlanAction;

std::string Name(const std::string& unit_code, const std::string& directive_id) {
  return absl::StrCat("units/", unit_code, "/registrations/", directive_id);
}

const plans::AddressedUnit* FindUnit(const plans::Directive& d, const std::string& code) {
  for (const plans::AddressedUnit& u : d.units) {
    if (u.unit_code == code) {
      return &u;
    }
  }
  return nullptr;
}

// The deadline that applies to `unit_code` on `d` (the directive's when it does not address it).
absl::Time DeadlineOf(const plans::Directive& d, const std::string& unit_code) {
  const plans::AddressedUnit* u = FindUnit(d, unit_code);
  return plans::EffectiveDeadline(d.deadline, u ? u->extended_deadline : std::nullopt);
}

bool AsksForRegistration(const plans::Directive& d) {
  return std::find(d.deliverables.begin(), d.deliverables.end(),
                   plans::Deliverable::kRegistration) != d.deliverables.end();
}

// A status whose message starts with the registration's name.
absl::Status Named(const absl::Status& s, const std::string& unit, const std::string& directive) {
  return absl::Status(s.code(), absl::StrCat(Name(unit, directive), ": ", s.message()));
}

}  // namespace

absl::StatusOr<RegistrationView> RegistrationsApp::View(const Caller& caller, Registration r,
                                                        const plans::Directive* directive) {
  RegistrationView v;
  std::vector<std::string> codes;
  for (const Village& village : r.villages) {
    codes.push_back(village.code);
  }
  NTM_ASSIGN_OR_RETURN(v.previous, repo_->ChangesOfYear(codes, r.year - 1));
  v.missing = Missing(r.content, r.villages);
  v.issuing_unit_code = r.issuing_unit_code;
  std::optional<plans::Directive> fetched;
  if (directive == nullptr) {
    // The deadline is the plans service's to say; a view without it is still a view.
    absl::StatusOr<plans::Directive> d =
        directives_->GetDirective(caller, r.issuing_unit_code, r.directive_id);
    if (d.ok()) {
      fetched = *std::move(d);
      directive = &*fetched;
    } else {
      log::Warn("registration shown without its deadline",
                {{"registration", r.id}, {"error", d.status().ToString()}});
    }
  }
  if (directive != nullptr) {
    v.deadline = DeadlineOf(*directive, r.unit_code);
  }
  v.registration = std::move(r);
  return v;
}

absl::StatusOr<RegistrationView> RegistrationsApp::Create(const Caller& caller,
                                                          const std::string& unit_code,
                                                          const std::string& issuing_unit_code,
                                                          const std::string& directive_id) {
  NTM_ASSIGN_OR_RETURN(plans::Directive d,
                       directives_->GetDirective(caller, issuing_unit_code, directive_id));
  if (!AsksForRegistration(d)) {
    return absl::FailedPreconditionError(absl::StrCat("directive: units/", issuing_unit_code,
                                                      "/directives/", directive_id,
                                                      " does not ask for a registration"));
  }
  if (FindUnit(d, unit_code) == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("parent: units/", issuing_unit_code,
                                                      "/directives/", directive_id,
                                                      " does not address units/", unit_code));
  }
  // Everything needed from the other services is asked for before anything is written.
  NTM_ASSIGN_OR_RETURN(std::vector<assessment::client::UnitInfo> villages,
                       assessment_->ListVillages(caller, unit_code));
  NTM_ASSIGN_OR_RETURN(std::set<std::string> known, assessment_->IndicatorCodes(caller, unit_code));
  Registration draft;
  draft.directive_id = directive_id;
  draft.issuing_unit_code = issuing_unit_code;
  draft.unit_code = unit_code;
  draft.id = absl::StrCat(directive_id, ".", unit_code);
  draft.year = d.year;
  std::vector<std::string> chain = {unit_code};
  for (int depth = 0; depth < 6; ++depth) {
    NTM_ASSIGN_OR_RETURN(assessment::client::UnitInfo u,
                         assessment_->GetUnit(caller, chain.back()));
    if (depth == 0) {
      draft.unit_display_name = u.display_name;
    }
    if (u.parent_code.empty()) {
      break;
    }
    chain.push_back(u.parent_code);
  }
  std::reverse(chain.begin(), chain.end());
  draft.unit_path = absl::StrCat("/", absl::StrJoin(chain, "/"), "/");
  for (const auto& v : villages) {
    draft.villages.push_back(Village{v.code, v.display_name});
  }
  draft.known_indicators.assign(known.begin(), known.end());
  NTM_ASSIGN_OR_RETURN(Registration created, repo_->Create(draft, caller.principal, clock_->Now()));
  log::Info("registration created", {{"registration", created.id},
                                     {"villages", absl::StrCat(created.villages.size())},
                                     {"by", caller.principal}});
  return View(caller, std::move(created), &d);
}

absl::StatusOr<Registration> RegistrationsApp::Load(const std::string& unit_code,
                                                    const std::string& directive_id) {
  absl::StatusOr<Registration> r = repo_->Get(absl::StrCat(directive_id, ".", unit_code));
  if (absl::IsNotFound(r.status())) {
    return absl::NotFoundError(absl::StrCat(Name(unit_code, directive_id), " not found"));
  }
  return r;
}

absl::StatusOr<RegistrationView> RegistrationsApp::Get(const Caller& caller,
                                                       const std::string& unit_code,
                                                       const std::string& directive_id) {
  NTM_ASSIGN_OR_RETURN(Registration r, Load(unit_code, directive_id));
  return View(caller, std::move(r), nullptr);
}

absl::StatusOr<std::vector<RegistrationView>> RegistrationsApp::List(
    const std::string& directive_id, const std::string& below_unit_code, std::optional<State> state,
    const std::string& after_id, int limit) {
  NTM_ASSIGN_OR_RETURN(std::vector<Registration> regs,
                       repo_->List(directive_id, below_unit_code, state, after_id, limit));
  std::vector<RegistrationView> out;
  for (Registration& r : regs) {
    RegistrationView v;
    v.missing = Missing(r.content, r.villages);
    v.registration = std::move(r);
    out.push_back(std::move(v));
  }
  return out;
}

absl::StatusOr<RegistrationView> RegistrationsApp::Update(const Caller& caller,
                                                          const std::string& unit_code,
                                                          const std::string& directive_id,
                                                          const RegistrationUpdate& update,
                                                          int64_t expected_version) {
  NTM_ASSIGN_OR_RETURN(const Registration r, Load(unit_code, directive_id));
  if (expected_version != 0 && r.version != expected_version) {
    return Named(absl::AbortedError("etag: it changed since it was read; read it again"), unit_code,
                 directive_id);
  }
  if (absl::Status s = plans::CheckTransition(r.state, PlanAction::kEdit, "registration");
      !s.ok()) {
    return Named(s, unit_code, directive_id);
  }
  RegistrationContent content = r.content;
  if (update.model_point.has_value()) content.model_point = *update.model_point;
  if (update.changes.has_value()) content.changes = *update.changes;
  if (update.endorsements.has_value()) content.endorsements = *update.endorsements;
  const std::set<std::string> known(r.known_indicators.begin(), r.known_indicators.end());
  if (const auto problems = ContentProblems(content, r.villages, known); !problems.empty()) {
    std::vector<std::string> named;
    for (const std::string& p : problems) {
      named.push_back(absl::StrCat("registration.", p));
    }
    return absl::InvalidArgumentError(absl::StrJoin(named, "; "));
  }
  // Written only if the registration is still the version the new content was built from.
  absl::StatusOr<Registration> updated =
      repo_->UpdateContent(r.id, content, r.version, caller.principal, clock_->Now());
  if (absl::IsAborted(updated.status()) || absl::IsFailedPrecondition(updated.status())) {
    return Named(updated.status(), unit_code, directive_id);
  }
  if (absl::IsAlreadyExists(updated.status())) {
    return absl::AlreadyExistsError(absl::StrCat("registration.", updated.status().message()));
  }
  NTM_RETURN_IF_ERROR(updated.status());
  log::Info("registration edited", {{"registration", updated->id}, {"by", caller.principal}});
  return View(caller, *std::move(updated), nullptr);
}

absl::StatusOr<RegistrationView> RegistrationsApp::Transition(
    const Caller& caller, const std::string& unit_code, const std::string& directive_id,
    PlanAction action, int64_t expected_version, const std::string& reason) {
  NTM_ASSIGN_OR_RETURN(const Registration current, Load(unit_code, directive_id));
  absl::Time deadline = absl::InfiniteFuture();
  std::optional<plans::Directive> directive;
  if (action == PlanAction::kSubmit) {
    // On time or late is judged against the deadline the plans service says applies now.
    NTM_ASSIGN_OR_RETURN(
        directive, directives_->GetDirective(caller, current.issuing_unit_code, directive_id));
    deadline = DeadlineOf(*directive, unit_code);
  }
  absl::StatusOr<Registration> r = repo_->Transition(
      current.id, action, expected_version, caller.principal, reason, deadline, clock_->Now());
  if (absl::IsFailedPrecondition(r.status()) || absl::IsAborted(r.status())) {
    return Named(r.status(), unit_code, directive_id);
  }
  NTM_RETURN_IF_ERROR(r.status());
  log::Info("registration transition", {{"registration", r->id},
                                        {"action", plans::PlanActionName(action)},
                                        {"late", r->submitted_late ? "true" : "false"},
                                        {"by", caller.principal}});
  return View(caller, *std::move(r), directive ? &*directive : nullptr);
}

absl::StatusOr<RegistrationStatusView> RegistrationsApp::Status(
    const Caller& caller, const std::string& issuing_unit_code, const std::string& directive_id) {
  RegistrationStatusView view;
  NTM_ASSIGN_OR_RETURN(view.directive,
                       directives_->GetDirective(caller, issuing_unit_code, directive_id));
  view.as_of = clock_->Now();
  NTM_ASSIGN_OR_RETURN(std::vector<assessment::client::UnitInfo> villages,
                       assessment_->ListVillages(caller, issuing_unit_code));
  NTM_ASSIGN_OR_RETURN(std::vector<assessment::client::UnitInfo> communes,
                       assessment_->ListCommunes(caller, issuing_unit_code));
  std::map<std::string, std::string> names;
  for (const auto& c : communes) {
    names[c.code] = c.display_name;
  }
  std::map<std::string, std::vector<Village>> villages_of;
  for (const auto& v : villages) {
    villages_of[v.parent_code].push_back(Village{v.code, v.display_name});
  }
  NTM_ASSIGN_OR_RETURN(std::vector<Registration> regs,
                       repo_->List(directive_id, "", std::nullopt, "", 0));
  std::map<std::string, Registration> by_unit;
  for (Registration& r : regs) {
    std::string code = r.unit_code;
    by_unit.emplace(std::move(code), std::move(r));
  }
  for (const plans::AddressedUnit& u : view.directive.units) {
    UnitRegistrationView row;
    row.unit_code = u.unit_code;
    row.display_name = names[u.unit_code];
    row.deadline = DeadlineOf(view.directive, u.unit_code);
    auto it = by_unit.find(u.unit_code);
    if (it != by_unit.end()) {
      row.villages = it->second.villages;
      row.villages_missing = VillagesWithoutChange(it->second.content, it->second.villages);
      row.missing = Missing(it->second.content, it->second.villages);
      row.registration = it->second;
    } else {
      row.villages = villages_of[u.unit_code];
      for (const Village& v : row.villages) {
        row.villages_missing.push_back(v.code);
      }
    }
    const bool sent = row.registration.has_value() && row.registration->submitted_at.has_value();
    row.overdue = !sent && view.as_of > row.deadline;
    view.units.push_back(std::move(row));
  }
  return view;
}

absl::StatusOr<DistrictModelPoint> RegistrationsApp::ChooseModelPoint(
    const Caller& caller, const std::string& issuing_unit_code, const std::string& directive_id,
    const std::optional<std::string>& registration_unit_code, const std::optional<ModelPoint>& own,
    const std::string& reason) {
  NTM_ASSIGN_OR_RETURN(plans::Directive d,
                       directives_->GetDirective(caller, issuing_unit_code, directive_id));
  DistrictModelPoint choice;
  choice.directive_id = directive_id;
  choice.district_code = issuing_unit_code;
  choice.year = d.year;
  choice.chosen_by = caller.principal;
  if (registration_unit_code.has_value()) {
    NTM_ASSIGN_OR_RETURN(RegistrationView r, Get(caller, *registration_unit_code, directive_id));
    if (r.registration.state != State::kSubmitted && r.registration.state != State::kAccepted) {
      return absl::FailedPreconditionError(
          absl::StrCat("registration: ", Name(*registration_unit_code, directive_id), " is ",
                       plans::PlanStateName(r.registration.state),
                       "; only a submitted or accepted commune's model point can be chosen"));
    }
    if (!r.registration.content.model_point.has_value()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "registration: ", Name(*registration_unit_code, directive_id), " has no model point"));
    }
    choice.registration_id = r.registration.id;
    choice.model_point = *r.registration.content.model_point;
  } else {
    const std::set<std::string> none;
    RegistrationContent c;
    c.model_point = own.value_or(ModelPoint{});
    std::vector<std::string> problems;
    for (const std::string& p : ContentProblems(c, {}, none)) {
      // The district's own model point is checked for content and length; its indicator codes
      // are kept as given.
      if (p.find("indicator_codes") == std::string::npos) {
        problems.push_back(p);
      }
    }
    if (!problems.empty()) {
      return absl::InvalidArgumentError(absl::StrJoin(problems, "; "));
    }
    choice.model_point = *c.model_point;
  }
  NTM_ASSIGN_OR_RETURN(DistrictModelPoint stored,
                       repo_->ChooseModelPoint(choice, reason, clock_->Now()));
  log::Info("district model point chosen",
            {{"directive", directive_id},
             {"registration", stored.registration_id.value_or("(the district's own)")},
             {"by", caller.principal}});
  return stored;
}

absl::StatusOr<DistrictModelPoint> RegistrationsApp::GetModelPoint(
    const std::string& issuing_unit_code, const std::string& directive_id) {
  absl::StatusOr<DistrictModelPoint> m = repo_->GetModelPoint(directive_id);
  if (m.ok() && m->district_code != issuing_unit_code) {
    return absl::NotFoundError(absl::StrCat("units/", issuing_unit_code, "/directives/",
                                            directive_id, " has no district model point"));
  }
  return m;
}

}  // namespace ntm::registrations
