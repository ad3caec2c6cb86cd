#include "services/assessment/domain/model.h"

namespace ntm::assessment {

const Indicator* CriteriaSet::FindIndicator(absl::string_view code) const {
  for (const auto& i : indicators) {
    if (i.code == code) {
      return &i;
    }
  }
  return nullptr;
}

const Criterion* CriteriaSet::FindCriterion(absl::string_view code) const {
  for (const auto& c : criteria) {
    if (c.code == code) {
      return &c;
    }
  }
  return nullptr;
}

std::vector<const Indicator*> CriteriaSet::IndicatorsOf(absl::string_view criterion_code) const {
  std::vector<const Indicator*> out;
  for (const auto& i : indicators) {
    if (i.criterion_code == criterion_code) {
      out.push_back(&i);
    }
  }
  return out;
}

std::string Ownership::OwnerOf(const Indicator& indicator) const {
  std::string by_criterion;
  for (const auto& a : assignments) {
    if (a.criterion_code != indicator.criterion_code) {
      continue;
    }
    if (a.indicator_code == indicator.code) {
      return a.agency_id;
    }
    if (a.indicator_code.empty()) {
      by_criterion = a.agency_id;
    }
  }
  return by_criterion;
}

const IndicatorValue* Assessment::FindValue(absl::string_view indicator_code) const {
  for (const auto& v : values) {
    if (v.indicator_code == indicator_code) {
      return &v;
    }
  }
  return nullptr;
}

}  // namespace ntm::assessment
