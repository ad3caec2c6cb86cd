#include "services/plans/domain/rules.h"

#include <algorithm>
#include <limits>
#include <set>

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

}  // namespace

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
      problems.push_back(absl::StrFormat("funding.by_content_group[%s]: %s is negative",
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
    problems.push_back("funding.by_content_group: the amounts are too large to add up");
  } else if (groups != funding.total_dong) {
    problems.push_back(absl::StrFormat(
        "funding.by_content_group: the five content groups add up to %s, the stated total is "
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
  bool allowed = false;
  const char* needs = "";
  switch (action) {
    case PlanAction::kEdit:
    case PlanAction::kSubmit:
      allowed = state == PlanState::kDraft || state == PlanState::kReturned;
      needs = "a draft or a returned plan";
      break;
    case PlanAction::kAccept:
    case PlanAction::kReturn:
      allowed = state == PlanState::kSubmitted;
      needs = "a submitted plan";
      break;
  }
  if (allowed) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrFormat("the plan is %s: only %s can be %s",
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
