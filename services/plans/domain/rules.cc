#include "services/plans/domain/rules.h"

#include <algorithm>
#include <limits>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ntm::plans {
namespace {

// Adds `value` to `*sum`; false when the sum would leave int64.
bool AddChecked(int64_t* sum, int64_t value) {
  if ((value > 0 && *sum > std::numeric_limits<int64_t>::max() - value) ||
      (value < 0 && *sum < std::numeric_limits<int64_t>::min() - value)) {
    return false;
  }
  *sum += value;
  return true;
}

// "1.250.000" — đồng grouped the Vietnamese way.
std::string Dong(int64_t amount) {
  const uint64_t magnitude =
      amount < 0 ? 0 - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  const std::string digits = absl::StrCat(magnitude);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += '.';
    }
    out += digits[i];
  }
  return absl::StrCat(amount < 0 ? "-" : "", out, " đồng");
}

const char* Done(PlanAction action) {
  switch (action) {
    case PlanAction::kEdit:
      return "edited";
    case PlanAction::kSubmit:
      return "submitted";
    case PlanAction::kAccept:
      return "accepted";
    case PlanAction::kReturn:
      return "returned";
  }
  return "?";
}

bool IsIndicatorCode(const std::string& code) {
  // "13", "13.3", "17.10": digits, optionally a dot and digits.
  const size_t dot = code.find('.');
  auto digits = [](absl::string_view s) {
    return !s.empty() && s.size() <= 3 &&
           std::all_of(s.begin(), s.end(), [](char c) { return absl::ascii_isdigit(c); });
  };
  if (dot == std::string::npos) {
    return digits(code);
  }
  return digits(absl::string_view(code).substr(0, dot)) &&
         digits(absl::string_view(code).substr(dot + 1));
}

}  // namespace

std::vector<std::string> DirectiveProblems(const Directive& d) {
  std::vector<std::string> problems;
  if (d.id.size() < 3 || d.id.size() > 40 || !std::all_of(d.id.begin(), d.id.end(), [](char c) {
        return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-';
      })) {
    problems.push_back("id: 3-40 characters of lower-case letters, digits and '-'");
  }
  if (d.document_number.empty() || d.document_number.size() > 64) {
    problems.push_back("document_number: give the number as printed, e.g. 125/UBND-NN");
  }
  if (d.year < 2000 || d.year > 2100) {
    problems.push_back(absl::StrCat("year: ", d.year, " is not a year of the programme"));
  }
  if (d.issuing_unit_code.empty() ||
      !std::all_of(d.issuing_unit_code.begin(), d.issuing_unit_code.end(),
                   [](char c) { return absl::ascii_isdigit(c); })) {
    problems.push_back("issuing_unit: a unit name like units/106");
  }
  const absl::TimeZone vietnam = absl::FixedTimeZone(7 * 3600);
  if (d.deadline <= absl::FromCivil(d.issued_on, vietnam)) {
    problems.push_back("deadline: must be after the day the directive was issued");
  }
  if (d.deliverables.empty()) {
    problems.push_back("deliverables: name at least one (plan, registration)");
  }
  for (size_t i = 0; i < d.focus_indicators.size(); ++i) {
    if (!IsIndicatorCode(d.focus_indicators[i])) {
      problems.push_back(absl::StrFormat("focus_indicators[%d]: '%s' is not an indicator code", i,
                                         d.focus_indicators[i]));
    }
  }
  if (d.units.empty()) {
    problems.push_back("addressed_units: a directive addresses at least one unit");
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < d.units.size(); ++i) {
    const std::string& code = d.units[i].unit_code;
    if (code.empty() ||
        !std::all_of(code.begin(), code.end(), [](char c) { return absl::ascii_isdigit(c); })) {
      problems.push_back(
          absl::StrFormat("addressed_units[%d]: not a unit name like units/03424", i));
    } else if (!seen.insert(code).second) {
      problems.push_back(absl::StrFormat("addressed_units[%d]: units/%s is listed twice", i, code));
    }
  }
  if (d.title.size() > 500) {
    problems.push_back("title: at most 500 bytes");
  }
  return problems;
}

std::vector<std::string> PlanContentProblems(const PlanContent& c, const IndicatorFacts& facts) {
  std::vector<std::string> problems;
  auto text = [&](const std::string& field, const std::string& value, size_t max) {
    if (value.size() > max) {
      problems.push_back(absl::StrCat(field, ": at most ", max, " bytes"));
    }
  };
  text("status_summary", c.status_summary, 20000);
  text("solutions", c.solutions, 20000);
  text("organisation", c.organisation, 20000);
  std::set<std::string> targeted;
  for (size_t i = 0; i < c.targets.size(); ++i) {
    const Target& t = c.targets[i];
    const std::string field = absl::StrFormat("targets[%d]", i);
    if (facts.known.count(t.indicator_code) == 0) {
      problems.push_back(
          absl::StrFormat("%s.indicator_code: '%s' is not an indicator of the "
                          "criteria set",
                          field, t.indicator_code));
      continue;
    }
    if (facts.met.count(t.indicator_code) > 0) {
      problems.push_back(absl::StrFormat(
          "%s.indicator_code: %s is already met in the latest assessment; it is not a new target",
          field, t.indicator_code));
    }
    if (!targeted.insert(t.indicator_code).second) {
      problems.push_back(
          absl::StrFormat("%s.indicator_code: %s has a target already", field, t.indicator_code));
    }
    if (!t.reach_standard && !t.value_fixed4.has_value()) {
      problems.push_back(
          absl::StrCat(field, ".target_value: give the value, or reach the standard"));
    }
    if (t.value_fixed4.has_value() && *t.value_fixed4 < 0) {
      problems.push_back(absl::StrCat(field, ".target_value: must not be negative"));
    }
    text(field + ".note", t.note, 2000);
  }
  for (size_t i = 0; i < c.tasks.size(); ++i) {
    const Task& t = c.tasks[i];
    const std::string field = absl::StrFormat("tasks[%d]", i);
    if (absl::StripAsciiWhitespace(t.content).empty()) {
      problems.push_back(absl::StrCat(field, ".content: say what will be done"));
    }
    if (absl::StripAsciiWhitespace(t.responsible).empty()) {
      problems.push_back(absl::StrCat(field, ".responsible: name who is responsible"));
    }
    if (t.end < t.start) {
      problems.push_back(absl::StrCat(field, ".end_date: before the start date"));
    }
    if (t.cost_dong < 0) {
      problems.push_back(absl::StrCat(field, ".cost_dong: must not be negative"));
    }
    for (size_t k = 0; k < t.indicator_codes.size(); ++k) {
      if (facts.known.count(t.indicator_codes[k]) == 0) {
        problems.push_back(absl::StrFormat("%s.indicator_codes[%d]: '%s' is not an indicator",
                                           field, k, t.indicator_codes[k]));
      }
    }
    text(field + ".content", t.content, 2000);
    text(field + ".responsible", t.responsible, 500);
  }
  for (const std::string& p : FundingProblems(c.funding)) {
    if (absl::StrContains(p, "is negative")) {
      problems.push_back(p);
    }
  }
  return problems;
}

absl::Status CheckExtension(absl::Time deadline, const AddressedUnit& unit, absl::Time new_deadline,
                            const std::string& reason) {
  if (absl::StripAsciiWhitespace(reason).empty()) {
    return absl::InvalidArgumentError("reason: say why the deadline is extended");
  }
  if (reason.size() > 1000) {
    return absl::InvalidArgumentError("reason: at most 1000 bytes");
  }
  const absl::Time current = EffectiveDeadline(deadline, unit.extended_deadline);
  if (new_deadline <= current) {
    return absl::FailedPreconditionError(
        absl::StrCat("deadline: units/", unit.unit_code, " already has until ",
                     absl::FormatTime("%d/%m/%Y %H:%M", current, absl::FixedTimeZone(7 * 3600)),
                     " (UTC+7); an extension must be later"));
  }
  return absl::OkStatus();
}

const char* ContentGroupName(ContentGroup group) {
  switch (group) {
    case ContentGroup::kPlanning:
      return "2.1 Về quy hoạch và thực hiện quy hoạch";
    case ContentGroup::kInfrastructure:
      return "2.2 Về hạ tầng kinh tế - xã hội";
    case ContentGroup::kEconomy:
      return "2.3 Về kinh tế và tổ chức sản xuất";
    case ContentGroup::kCultureSocietyEnvironment:
      return "2.4 Về văn hóa, xã hội và môi trường";
    case ContentGroup::kPoliticalSystem:
      return "2.5 Về hệ thống chính trị";
  }
  return "?";
}

const char* FundingSourceName(FundingSource source) {
  switch (source) {
    case FundingSource::kNtmProgram:
      return "Nguồn vốn chương trình NTM";
    case FundingSource::kPovertyReduction:
      return "Nguồn vốn Chương trình giảm nghèo";
    case FundingSource::kEthnicMinority:
      return "Nguồn vốn Chương trình phát triển KT-XH vùng ĐBDTTS";
    case FundingSource::kProjects:
      return "Nguồn vốn từ các đề án, dự án";
    case FundingSource::kIntegrated:
      return "Nguồn vốn lồng ghép";
    case FundingSource::kCredit:
      return "Vốn tín dụng";
    case FundingSource::kEnterprises:
      return "Vốn doanh nghiệp";
    case FundingSource::kCommunity:
      return "Nhân dân đóng góp";
  }
  return "?";
}

const char* PlanActionName(PlanAction action) {
  switch (action) {
    case PlanAction::kEdit:
      return "edit";
    case PlanAction::kSubmit:
      return "submit";
    case PlanAction::kAccept:
      return "accept";
    case PlanAction::kReturn:
      return "return";
  }
  return "?";
}

const char* PlanStateName(PlanState state) {
  switch (state) {
    case PlanState::kDraft:
      return "draft";
    case PlanState::kSubmitted:
      return "submitted";
    case PlanState::kReturned:
      return "returned";
    case PlanState::kAccepted:
      return "accepted";
  }
  return "?";
}

std::vector<std::string> FundingProblems(const Funding& funding) {
  std::vector<std::string> problems;
  if (funding.total_dong < 0) {
    problems.push_back(
        absl::StrCat("funding.total_dong: ", Dong(funding.total_dong), " is negative"));
  }
  int64_t groups = 0;
  bool groups_overflow = false;
  for (const auto& [group, amount] : funding.by_group) {
    if (amount < 0) {
      problems.push_back(absl::StrFormat("funding.by_group[%s]: %s is negative",
                                         ContentGroupName(group), Dong(amount)));
    }
    groups_overflow |= !AddChecked(&groups, amount);
  }
  int64_t sources = 0;
  bool sources_overflow = false;
  for (const auto& [source, amount] : funding.by_source) {
    if (amount < 0) {
      problems.push_back(absl::StrFormat("funding.by_source[%s]: %s is negative",
                                         FundingSourceName(source), Dong(amount)));
    }
    sources_overflow |= !AddChecked(&sources, amount);
  }
  if (groups_overflow) {
    problems.push_back("funding.by_group: the amounts are too large to add up");
  } else if (groups != funding.total_dong) {
    problems.push_back(absl::StrFormat(
        "funding.by_group: the five content groups add up to %s, the stated total is "
        "%s (difference %s)",
        Dong(groups), Dong(funding.total_dong), Dong(groups - funding.total_dong)));
  }
  if (sources_overflow) {
    problems.push_back("funding.by_source: the amounts are too large to add up");
  } else if (sources != funding.total_dong) {
    problems.push_back(absl::StrFormat(
        "funding.by_source: the sources add up to %s, the stated total is %s (difference %s)",
        Dong(sources), Dong(funding.total_dong), Dong(sources - funding.total_dong)));
  }
  return problems;
}

absl::Status CheckTransition(PlanState state, PlanAction action) {
  return CheckTransition(state, action, "plan");
}

absl::Status CheckTransition(PlanState state, PlanAction action, absl::string_view what) {
  bool allowed = false;
  std::string needs;
  switch (action) {
    case PlanAction::kEdit:
    case PlanAction::kSubmit:
      allowed = state == PlanState::kDraft || state == PlanState::kReturned;
      needs = absl::StrCat("a draft or a returned ", what);
      break;
    case PlanAction::kAccept:
    case PlanAction::kReturn:
      allowed = state == PlanState::kSubmitted;
      needs = absl::StrCat("a submitted ", what);
      break;
  }
  if (allowed) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrFormat("the %s is %s: only %s can be %s", what,
                                                       PlanStateName(state), needs, Done(action)));
}

PlanState After(PlanState state, PlanAction action) {
  switch (action) {
    case PlanAction::kEdit:
      return state;
    case PlanAction::kSubmit:
      return PlanState::kSubmitted;
    case PlanAction::kAccept:
      return PlanState::kAccepted;
    case PlanAction::kReturn:
      return PlanState::kReturned;
  }
  return state;
}

absl::Time EffectiveDeadline(absl::Time deadline, std::optional<absl::Time> extension) {
  return extension.has_value() ? *extension : deadline;
}

bool IsLate(absl::Time submitted_at, absl::Time deadline, std::optional<absl::Time> extension) {
  return submitted_at > EffectiveDeadline(deadline, extension);
}

SubmissionStatus Classify(const std::optional<PlanProgress>& plan, absl::Time deadline,
                          std::optional<absl::Time> extension) {
  if (!plan.has_value()) {
    return SubmissionStatus::kNotStarted;
  }
  switch (plan->state) {
    case PlanState::kDraft:
      return SubmissionStatus::kDraft;
    case PlanState::kReturned:
      return SubmissionStatus::kReturned;
    case PlanState::kAccepted:
      return SubmissionStatus::kAccepted;
    case PlanState::kSubmitted:
      break;
  }
  if (plan->submitted_at.has_value() && IsLate(*plan->submitted_at, deadline, extension)) {
    return SubmissionStatus::kSubmittedLate;
  }
  return SubmissionStatus::kSubmittedOnTime;
}

std::vector<TargetProposal> ProposeTargets(const std::vector<std::string>& unmet_in_catalog_order,
                                           const std::vector<std::string>& focus) {
  const std::set<std::string> unmet(unmet_in_catalog_order.begin(), unmet_in_catalog_order.end());
  std::vector<TargetProposal> out;
  std::set<std::string> taken;
  for (const std::string& code : focus) {
    if (unmet.count(code) > 0 && taken.insert(code).second) {
      out.push_back({code, true});
    }
  }
  for (const std::string& code : unmet_in_catalog_order) {
    if (taken.insert(code).second) {
      out.push_back({code, false});
    }
  }
  return out;
}

}  // namespace ntm::plans
