#include "services/assessment/domain/app.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/common/status.h"

namespace ntm::assessment {
namespace {

constexpr int kMaxUnitsInFilter = 5000;

bool IsDigits(absl::string_view s, size_t max_len) {
  if (s.empty() || s.size() > max_len) {
    return false;
  }
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
}

absl::Status CheckRequestId(absl::string_view request_id) {
  if (request_id.size() > 64) {
    return InvalidField("request_id", "longer than 64 characters");
  }
  return absl::OkStatus();
}

absl::string_view LevelName(UnitLevel l) {
  switch (l) {
    case UnitLevel::kProvince:
      return "province";
    case UnitLevel::kDistrict:
      return "district";
    case UnitLevel::kCommune:
      return "commune";
    case UnitLevel::kVillage:
      return "village";
  }
  return "unit";
}

}  // namespace

// ---- CatalogCache --------------------------------------------------------------------------

absl::StatusOr<CriteriaSetPtr> CatalogCache::Get(absl::string_view id) {
  NTM_ASSIGN_OR_RETURN(int64_t version, repo_->CriteriaSetVersion(id));
  {
    absl::MutexLock lock(&mu_);
    auto it = sets_.find(id);
    if (it != sets_.end() && it->second->version == version) {
      return it->second;
    }
  }
  NTM_ASSIGN_OR_RETURN(CriteriaSet loaded, repo_->GetCriteriaSet(id));
  auto ptr = std::make_shared<const CriteriaSet>(std::move(loaded));
  absl::MutexLock lock(&mu_);
  sets_[std::string(id)] = ptr;
  return ptr;
}

// ---- DirectoryCache ------------------------------------------------------------------------

absl::StatusOr<std::vector<Unit>> DirectoryCache::Ancestors(absl::string_view code) {
  {
    absl::MutexLock lock(&mu_);
    if (auto it = ancestors_.find(code); it != ancestors_.end()) {
      return it->second;
    }
  }
  NTM_ASSIGN_OR_RETURN(std::vector<Unit> chain, repo_->AncestorsOf(code));
  absl::MutexLock lock(&mu_);
  ancestors_[std::string(code)] = chain;
  return chain;
}

absl::StatusOr<Ownership> DirectoryCache::OwnershipFor(absl::string_view code,
                                                       absl::string_view set_id) {
  NTM_ASSIGN_OR_RETURN(std::vector<Unit> chain, Ancestors(code));
  std::vector<std::string> codes;
  for (const Unit& u : chain) {
    codes.push_back(u.code);
  }
  NTM_ASSIGN_OR_RETURN(auto versions, repo_->OwnershipVersions(set_id, codes));
  for (const std::string& c : codes) {  // nearest first
    for (const auto& [unit, version] : versions) {
      if (unit != c) {
        continue;
      }
      const auto key = std::make_pair(unit, std::string(set_id));
      {
        absl::MutexLock lock(&mu_);
        if (auto it = ownerships_.find(key);
            it != ownerships_.end() && it->second.version == version) {
          return it->second;
        }
      }
      NTM_ASSIGN_OR_RETURN(Ownership o, repo_->GetOwnership(unit, set_id));
      absl::MutexLock lock(&mu_);
      ownerships_[key] = o;
      return o;
    }
  }
  Ownership none;
  none.criteria_set_id = std::string(set_id);
  return none;
}

// ---- catalog -------------------------------------------------------------------------------

absl::StatusOr<std::vector<CriteriaSet>> AssessmentApp::ListCriteriaSets(
    absl::string_view scope_unit) {
  std::set<std::string> scope;
  if (!scope_unit.empty()) {
    NTM_ASSIGN_OR_RETURN(std::vector<Unit> chain, directory_cache_.Ancestors(scope_unit));
    for (const Unit& u : chain) {
      scope.insert(u.code);
    }
  }
  NTM_ASSIGN_OR_RETURN(std::vector<CriteriaSet> sets, catalog_repo_->ListCriteriaSets());
  if (!scope.empty()) {
    sets.erase(
        std::remove_if(sets.begin(), sets.end(),
                       [&](const CriteriaSet& s) { return scope.count(s.scope_unit_code) == 0; }),
        sets.end());
  }
  return sets;
}

absl::StatusOr<CriteriaSetPtr> AssessmentApp::GetCriteriaSet(absl::string_view id) {
  return cache_.Get(id);
}

absl::StatusOr<Indicator> AssessmentApp::UpdateIndicator(
    absl::string_view set_id, absl::string_view code, const IndicatorUpdate& update,
    absl::string_view etag, absl::string_view source, const Actor& actor) {
  if (absl::StripAsciiWhitespace(source).empty()) {
    return InvalidField("source",
                        "cite the legal source of the change, e.g. the decision "
                        "number and date");
  }
  if (Utf8Length(source) > 1000) {
    return InvalidField("source", "longer than 1000 characters");
  }
  if (update.title_vi.has_value() && absl::StripAsciiWhitespace(*update.title_vi).empty()) {
    return InvalidField("indicator.title_vi", "must not be empty");
  }
  NTM_ASSIGN_OR_RETURN(CriteriaSetPtr set, cache_.Get(set_id));
  const absl::Time now = clock_->Now();
  auto decide = [&](const Indicator& current, std::string* detail) -> absl::StatusOr<Indicator> {
    NTM_RETURN_IF_ERROR(CheckEtag(etag, current.version, "indicator"));
    std::vector<std::string> changed;
    Indicator next = current;
    next.thresholds.clear();
    if (update.title_vi.has_value()) {
      next.title_vi = *update.title_vi;
      changed.push_back("title_vi");
    }
    if (update.title_en.has_value()) {
      next.title_en = *update.title_en;
      changed.push_back("title_en");
    }
    if (update.unit.has_value()) {
      next.unit = *update.unit;
      changed.push_back("unit");
    }
    if (update.wording_verified.has_value()) {
      next.wording_verified = *update.wording_verified;
      changed.push_back(absl::StrCat("wording_verified=", *update.wording_verified));
    }
    if (update.thresholds.has_value()) {
      std::set<int> years;
      for (size_t i = 0; i < update.thresholds->size(); ++i) {
        Threshold t = (*update.thresholds)[i];
        const std::string field = absl::StrCat("indicator.thresholds[", i, "]");
        if (t.year != 0 && (t.year < set->first_year || t.year > set->last_year)) {
          return InvalidField(absl::StrCat(field, ".year"),
                              absl::StrFormat("%d is outside the edition's years %d–%d", t.year,
                                              set->first_year, set->last_year));
        }
        if (!years.insert(t.year).second) {
          return InvalidField(absl::StrCat(field, ".year"),
                              absl::StrCat("year ", t.year, " is given twice"));
        }
        if (t.value.has_value()) {
          NTM_RETURN_IF_ERROR(
              ValidateThresholdValue(current, *t.value, absl::StrCat(field, ".value")));
          if (t.status != ThresholdStatus::kOfficial && t.status != ThresholdStatus::kUnverified &&
              t.status != ThresholdStatus::kDemo) {
            return InvalidField(absl::StrCat(field, ".status"),
                                "a value needs status OFFICIAL, UNVERIFIED or DEMO");
          }
        } else if (current.measure == Measure::kBoolean ||
                   current.measure == Measure::kNoneAllowed) {
          t.status = ThresholdStatus::kImplicit;
        } else {
          t.status = ThresholdStatus::kNotSet;
        }
        t.source = std::string(source);
        t.updated_by = actor.principal;
        t.update_time = now;
        changed.push_back(absl::StrFormat(
            "threshold %s = %s", t.year == 0 ? "all years" : absl::StrCat(t.year),
            t.value.has_value() ? absl::StrFormat("%g", FromDecimal4(*t.value)) : "not set"));
        next.thresholds.push_back(std::move(t));
      }
    }
    if (changed.empty()) {
      return InvalidField("update_mask", "names nothing to change");
    }
    *detail = absl::StrJoin(changed, "; ");
    return next;
  };
  NTM_ASSIGN_OR_RETURN(Indicator updated, catalog_repo_->UpdateIndicator(
                                              set_id, code, decide, actor.principal, source, now));
  return updated;
}

// ---- directory -----------------------------------------------------------------------------

absl::StatusOr<UnitWithChildren> AssessmentApp::GetUnit(absl::string_view code) {
  NTM_ASSIGN_OR_RETURN(Unit unit, directory_->GetUnit(code));
  NTM_ASSIGN_OR_RETURN(std::vector<Unit> children, directory_->ListChildren(code));
  return UnitWithChildren{std::move(unit), std::move(children)};
}

absl::StatusOr<std::vector<Unit>> AssessmentApp::ListUnits(absl::string_view parent,
                                                           std::optional<UnitLevel> level,
                                                           absl::string_view after_code,
                                                           int limit) {
  if (!parent.empty()) {
    NTM_RETURN_IF_ERROR(directory_->GetUnit(parent).status());
  }
  return directory_->ListUnits(parent, level, after_code, limit);
}

absl::StatusOr<Unit> AssessmentApp::CreateUnit(absl::string_view parent_code, const Unit& unit,
                                               const Actor& actor) {
  if (!IsDigits(unit.code, 16)) {
    return InvalidField("unit.code", absl::StrCat("'", unit.code, "' must be 1-16 digits"));
  }
  if (absl::StripAsciiWhitespace(unit.display_name).empty() ||
      Utf8Length(unit.display_name) > 200) {
    return InvalidField("unit.display_name", "must be 1-200 characters");
  }
  if (unit.kind.empty() || Utf8Length(unit.kind) > 60) {
    return InvalidField("unit.kind", "must be 1-60 characters, e.g. \"Bản\"");
  }
  NTM_ASSIGN_OR_RETURN(Unit parent, directory_->GetUnit(parent_code));
  if (static_cast<int>(unit.level) <= static_cast<int>(parent.level)) {
    return InvalidField("unit.level",
                        absl::StrFormat("a %s cannot sit under %s, a %s", LevelName(unit.level),
                                        parent.display_name, LevelName(parent.level)));
  }
  Unit u = unit;
  u.parent_code = parent.code;
  NTM_RETURN_IF_ERROR(directory_->CreateUnit(u, actor.principal));
  return directory_->GetUnit(u.code);
}

absl::StatusOr<std::vector<Agency>> AssessmentApp::ListAgencies(absl::string_view unit_code) {
  NTM_RETURN_IF_ERROR(directory_->GetUnit(unit_code).status());
  return directory_->ListAgencies(unit_code);
}

absl::StatusOr<OwnershipView> AssessmentApp::ListOwnerships(absl::string_view unit_code,
                                                            absl::string_view set_id,
                                                            absl::string_view agency_id) {
  NTM_RETURN_IF_ERROR(directory_->GetUnit(unit_code).status());
  NTM_ASSIGN_OR_RETURN(CriteriaSetPtr set, cache_.Get(set_id));
  NTM_ASSIGN_OR_RETURN(Ownership o, directory_->GetOwnership(unit_code, set_id));
  OwnershipView view;
  view.set = set;
  for (const Indicator& i : set->indicators) {
    std::string owner = o.OwnerOf(i);
    if (agency_id.empty() || owner == agency_id) {
      view.indicator_owners.emplace_back(&i, std::move(owner));
    }
  }
  if (!agency_id.empty()) {
    o.assignments.erase(
        std::remove_if(o.assignments.begin(), o.assignments.end(),
                       [&](const OwnershipAssignment& a) { return a.agency_id != agency_id; }),
        o.assignments.end());
  }
  view.ownership = std::move(o);
  return view;
}

absl::StatusOr<OwnershipView> AssessmentApp::UpdateOwnerships(
    absl::string_view unit_code, absl::string_view set_id,
    const std::vector<OwnershipAssignment>& changes, absl::string_view etag, const Actor& actor) {
  NTM_ASSIGN_OR_RETURN(Unit unit, directory_->GetUnit(unit_code));
  NTM_ASSIGN_OR_RETURN(CriteriaSetPtr set, cache_.Get(set_id));
  if (changes.empty()) {
    return InvalidField("assignments", "give at least one assignment");
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t i = 0; i < changes.size(); ++i) {
    const auto& c = changes[i];
    const std::string field = absl::StrCat("assignments[", i, "]");
    if (set->FindCriterion(c.criterion_code) == nullptr) {
      return InvalidField(
          absl::StrCat(field, ".criterion_code"),
          absl::StrFormat("'%s' is not a criterion of %s", c.criterion_code, set->id));
    }
    if (!c.indicator_code.empty()) {
      const Indicator* ind = set->FindIndicator(c.indicator_code);
      if (ind == nullptr || ind->criterion_code != c.criterion_code) {
        return InvalidField(absl::StrCat(field, ".indicator_code"),
                            absl::StrFormat("'%s' is not an indicator of criterion %s",
                                            c.indicator_code, c.criterion_code));
      }
    }
    if (!seen.insert({c.criterion_code, c.indicator_code}).second) {
      return InvalidField(field, "the same criterion and indicator are assigned twice");
    }
    if (!c.agency_id.empty()) {
      NTM_ASSIGN_OR_RETURN(std::optional<Agency> agency, directory_->FindAgency(c.agency_id));
      if (!agency.has_value()) {
        return InvalidField(absl::StrCat(field, ".agency"),
                            absl::StrCat("agencies/", c.agency_id, " does not exist"));
      }
      if (agency->unit_code != unit.code) {
        return InvalidField(absl::StrCat(field, ".agency"),
                            absl::StrFormat("agencies/%s belongs to units/%s, not units/%s",
                                            c.agency_id, agency->unit_code, unit.code));
      }
    }
  }
  NTM_ASSIGN_OR_RETURN(
      Ownership o,
      directory_->UpdateOwnership(
          unit_code, set_id,
          [&](const Ownership& current) -> absl::StatusOr<std::vector<OwnershipAssignment>> {
            NTM_RETURN_IF_ERROR(CheckEtag(etag, current.version, "ownership table"));
            return changes;
          },
          actor.principal, clock_->Now()));
  OwnershipView view;
  view.set = set;
  for (const Indicator& i : set->indicators) {
    view.indicator_owners.emplace_back(&i, o.OwnerOf(i));
  }
  view.ownership = std::move(o);
  return view;
}

// ---- assessments ---------------------------------------------------------------------------

absl::StatusOr<Unit> AssessmentApp::RequireCommune(absl::string_view field,
                                                   absl::string_view code) {
  NTM_ASSIGN_OR_RETURN(std::vector<Unit> chain, directory_cache_.Ancestors(code));
  Unit unit = chain.front();
  if (unit.level != UnitLevel::kCommune) {
    return InvalidField(field,
                        absl::StrFormat("units/%s (%s) is a %s; assessments are made by "
                                        "communes",
                                        unit.code, unit.display_name, LevelName(unit.level)));
  }
  return unit;
}

absl::StatusOr<Assessment> AssessmentApp::CreateAssessment(
    absl::string_view unit_code, absl::string_view as_of_text, absl::string_view set_id,
    absl::string_view request_id, absl::string_view request_hash, const Actor& actor) {
  NTM_ASSIGN_OR_RETURN(absl::CivilDay as_of, ParseDate("as_of_date", as_of_text));
  NTM_RETURN_IF_ERROR(CheckRequestId(request_id));
  NTM_ASSIGN_OR_RETURN(Unit unit, RequireCommune("parent", unit_code));
  std::string chosen(set_id);
  const int year = static_cast<int>(as_of.year());
  if (chosen.empty()) {
    NTM_ASSIGN_OR_RETURN(std::vector<Unit> chain, directory_cache_.Ancestors(unit.code));
    NTM_ASSIGN_OR_RETURN(std::vector<CriteriaSet> sets, catalog_repo_->ListCriteriaSets());
    // The nearest unit's edition in force that year; sets are listed newest first.
    for (const Unit& u : chain) {
      for (const CriteriaSet& s : sets) {
        if (s.scope_unit_code == u.code && s.first_year <= year && year <= s.last_year) {
          chosen = s.id;
          break;
        }
      }
      if (!chosen.empty()) {
        break;
      }
    }
    if (chosen.empty()) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "no criteria set is in force for units/%s in %d; load one or name it in criteria_set",
          unit.code, year));
    }
  } else {
    NTM_ASSIGN_OR_RETURN(CriteriaSetPtr set, cache_.Get(chosen));
    if (year < set->first_year || year > set->last_year) {
      return InvalidField("criteria_set",
                          absl::StrFormat("criteriaSets/%s covers %d–%d, not %d", chosen,
                                          set->first_year, set->last_year, year));
    }
  }
  Assessment a;
  a.unit_code = unit.code;
  a.as_of = as_of;
  a.criteria_set_id = chosen;
  a.created_by = actor.principal;
  a.create_time = clock_->Now();
  return assessments_->Create(a, request_id, request_hash);
}

absl::StatusOr<Assessment> AssessmentApp::GetAssessment(const AssessmentKey& key) {
  return assessments_->Get(key, /*with_history=*/true);
}

absl::StatusOr<std::vector<std::string>> AssessmentApp::CommunesUnder(const Unit& unit) {
  if (unit.level == UnitLevel::kCommune) {
    return std::vector<std::string>{unit.code};
  }
  NTM_ASSIGN_OR_RETURN(
      std::vector<Unit> communes,
      directory_->ListUnits(unit.code, UnitLevel::kCommune, "", kMaxUnitsInFilter));
  std::vector<std::string> codes;
  codes.reserve(communes.size());
  for (const Unit& u : communes) {
    codes.push_back(u.code);
  }
  return codes;
}

absl::StatusOr<AssessmentPage> AssessmentApp::ListAssessments(
    absl::string_view parent, std::optional<absl::CivilDay> as_of,
    std::optional<AssessmentState> state, int limit,
    std::optional<std::pair<absl::CivilDay, std::string>> after) {
  NTM_ASSIGN_OR_RETURN(Unit unit, directory_->GetUnit(parent));
  AssessmentFilter f;
  NTM_ASSIGN_OR_RETURN(f.unit_codes, CommunesUnder(unit));
  f.as_of = as_of;
  f.state = state;
  f.after = std::move(after);
  f.limit = limit + 1;
  NTM_ASSIGN_OR_RETURN(std::vector<Assessment> rows, assessments_->List(f));
  AssessmentPage page;
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(limit);
    page.next = std::make_pair(rows.back().as_of, rows.back().unit_code);
  }
  page.assessments = std::move(rows);
  return page;
}

absl::StatusOr<Assessment> AssessmentApp::SetIndicatorValues(
    const AssessmentKey& key, const std::vector<ValueInput>& inputs, absl::string_view etag,
    absl::string_view request_id, absl::string_view request_hash, const Actor& actor) {
  NTM_RETURN_IF_ERROR(CheckRequestId(request_id));
  // The edition and the ownership are read before the transaction: neither changes the values
  // being written, and the rules see them as of this moment.
  NTM_ASSIGN_OR_RETURN(Assessment snapshot, assessments_->Get(key, false));
  NTM_ASSIGN_OR_RETURN(CriteriaSetPtr set, cache_.Get(snapshot.criteria_set_id));
  Ownership ownership;
  if (!actor.agency_id.empty()) {
    NTM_ASSIGN_OR_RETURN(ownership,
                         directory_cache_.OwnershipFor(key.unit_code, snapshot.criteria_set_id));
  }
  const absl::Time now = clock_->Now();
  return assessments_->Update(
      key, "SetIndicatorValues", request_id, request_hash,
      [&](const Assessment& current) {
        return DecideSetValues(*set, ownership, current, inputs, etag, actor, now);
      },
      now);
}

absl::StatusOr<Assessment> AssessmentApp::SubmitAssessment(const AssessmentKey& key,
                                                           absl::string_view etag,
                                                           const Actor& actor) {
  const absl::Time now = clock_->Now();
  return assessments_->Update(
      key, "SubmitAssessment", "", "",
      [&](const Assessment& current) { return DecideSubmit(current, etag, actor, now); }, now);
}

absl::StatusOr<Assessment> AssessmentApp::ReviewCriterion(
    const AssessmentKey& key, absl::string_view criterion_code, std::optional<Verdict> verdict,
    absl::string_view reason, absl::string_view etag, const Actor& actor) {
  NTM_ASSIGN_OR_RETURN(Assessment snapshot, assessments_->Get(key, false));
  NTM_ASSIGN_OR_RETURN(CriteriaSetPtr set, cache_.Get(snapshot.criteria_set_id));
  NTM_ASSIGN_OR_RETURN(Ownership ownership,
                       directory_cache_.OwnershipFor(key.unit_code, snapshot.criteria_set_id));
  const absl::Time now = clock_->Now();
  return assessments_->Update(
      key, "ReviewCriterion", "", "",
      [&](const Assessment& current) {
        return DecideReview(*set, ownership, current, criterion_code, verdict, reason, etag, actor,
                            now);
      },
      now);
}

absl::StatusOr<CommuneStanding> AssessmentApp::GetCommuneStatus(
    absl::string_view unit_code, std::optional<absl::CivilDay> as_of) {
  NTM_ASSIGN_OR_RETURN(Unit unit, RequireCommune("unit", unit_code));
  CommuneStanding out;
  if (as_of.has_value()) {
    NTM_ASSIGN_OR_RETURN(out.assessment, assessments_->Get({unit.code, *as_of}, false));
  } else {
    NTM_ASSIGN_OR_RETURN(out.assessment, assessments_->Latest(unit.code));
  }
  NTM_ASSIGN_OR_RETURN(out.set, cache_.Get(out.assessment.criteria_set_id));
  NTM_ASSIGN_OR_RETURN(Ownership ownership, directory_cache_.OwnershipFor(unit.code, out.set->id));
  out.unit = std::move(unit);
  out.standing = Evaluate(*out.set, out.assessment, ownership);
  return out;
}

absl::StatusOr<DistrictMatrixView> AssessmentApp::GetDistrictMatrix(absl::string_view unit_code,
                                                                    absl::CivilDay as_of) {
  NTM_ASSIGN_OR_RETURN(Unit unit, directory_->GetUnit(unit_code));
  if (unit.level == UnitLevel::kVillage) {
    return InvalidField("unit", absl::StrFormat("units/%s is a village; give a district or "
                                                "province",
                                                unit.code));
  }
  NTM_ASSIGN_OR_RETURN(
      std::vector<Unit> communes,
      unit.level == UnitLevel::kCommune
          ? absl::StatusOr<std::vector<Unit>>(std::vector<Unit>{unit})
          : directory_->ListUnits(unit.code, UnitLevel::kCommune, "", kMaxUnitsInFilter));
  AssessmentFilter f;
  for (const Unit& c : communes) {
    f.unit_codes.push_back(c.code);
  }
  f.as_of = as_of;
  f.limit = kMaxUnitsInFilter;
  f.with_content = true;
  NTM_ASSIGN_OR_RETURN(std::vector<Assessment> found, assessments_->List(f));
  DistrictMatrixView view;
  view.unit = unit;
  view.as_of = as_of;
  std::set<std::string> set_ids;
  for (const Assessment& a : found) {
    set_ids.insert(a.criteria_set_id);
  }
  if (set_ids.size() > 1) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "the communes of units/%s use several criteria sets as of %s (%s); ask per commune",
        unit.code, FormatDate(as_of), absl::StrJoin(set_ids, ", ")));
  }
  std::map<std::string, Ownership> ownership_by_unit;
  if (!set_ids.empty()) {
    NTM_ASSIGN_OR_RETURN(view.set, cache_.Get(*set_ids.begin()));
  }
  std::map<std::string, Assessment*> by_unit;
  for (Assessment& a : found) {
    by_unit[a.unit_code] = &a;
  }
  // Ownership only changes review states, which the matrix does not show; it is still resolved
  // per district so that Evaluate sees the same inputs as GetCommuneStatus.
  std::map<std::string, Ownership> ownership_by_parent;
  for (Unit& c : communes) {
    MatrixRowView row;
    auto it = by_unit.find(c.code);
    if (it != by_unit.end()) {
      auto own = ownership_by_parent.find(c.parent_code);
      if (own == ownership_by_parent.end()) {
        NTM_ASSIGN_OR_RETURN(Ownership o, directory_cache_.OwnershipFor(c.code, view.set->id));
        own = ownership_by_parent.emplace(c.parent_code, std::move(o)).first;
      }
      row.assessment = *it->second;
      row.standing = Evaluate(*view.set, *row.assessment, own->second);
      view.uses_demo_thresholds = view.uses_demo_thresholds || row.standing->uses_demo_thresholds;
    }
    row.unit = std::move(c);
    view.rows.push_back(std::move(row));
  }
  return view;
}

}  // namespace ntm::assessment
