#include "services/assessment/domain/evaluation.h"

#include <algorithm>

namespace ntm::assessment {

ThresholdInForce ThresholdFor(const Indicator& indicator, int year) {
  const Threshold* all_years = nullptr;
  for (const auto& t : indicator.thresholds) {
    if (t.year == year && year != 0) {
      return {t.value, t.status};
    }
    if (t.year == 0) {
      all_years = &t;
    }
  }
  if (all_years != nullptr) {
    return {all_years->value, all_years->status};
  }
  return {std::nullopt, ThresholdStatus::kNotSet};
}

IndicatorResult EvaluateIndicator(const Indicator& indicator, int year, const Value* value) {
  if (value == nullptr) {
    return IndicatorResult::kNoData;
  }
  switch (indicator.measure) {
    case Measure::kBoolean:
      return value->boolean ? IndicatorResult::kMet : IndicatorResult::kNotMet;
    case Measure::kNoneAllowed:
      return value->count == 0 ? IndicatorResult::kMet : IndicatorResult::kNotMet;
    default:
      break;
  }
  const ThresholdInForce t = ThresholdFor(indicator, year);
  if (!t.value.has_value()) {
    return IndicatorResult::kThresholdNotSet;
  }
  switch (indicator.measure) {
    case Measure::kPercentAtLeast:
    case Measure::kAmountAtLeast:
      return value->number >= *t.value ? IndicatorResult::kMet : IndicatorResult::kNotMet;
    case Measure::kPercentAtMost:
      return value->number <= *t.value ? IndicatorResult::kMet : IndicatorResult::kNotMet;
    case Measure::kCountAtLeast:
      return value->count * kDecimalScale >= *t.value ? IndicatorResult::kMet
                                                      : IndicatorResult::kNotMet;
    default:
      return IndicatorResult::kNotMet;
  }
}

CriterionResult CombineIndicators(const std::vector<IndicatorResult>& results) {
  bool any_no_data = false;
  for (IndicatorResult r : results) {
    if (r == IndicatorResult::kNotMet || r == IndicatorResult::kThresholdNotSet) {
      return CriterionResult::kNotMet;
    }
    any_no_data = any_no_data || r == IndicatorResult::kNoData;
  }
  if (any_no_data || results.empty()) {
    return CriterionResult::kIncomplete;
  }
  return CriterionResult::kMet;
}

ReviewState CombineReviews(const std::vector<std::string>& owning_agencies,
                           const std::vector<Review>& reviews, const std::string& criterion_code) {
  if (owning_agencies.empty()) {
    return ReviewState::kNoOwner;
  }
  bool all_confirmed = true;
  for (const std::string& agency : owning_agencies) {
    const Review* latest = nullptr;
    for (const auto& r : reviews) {
      if (r.criterion_code == criterion_code && r.agency_id == agency) {
        latest = &r;
      }
    }
    if (latest != nullptr && latest->verdict == Verdict::kDisputed) {
      return ReviewState::kDisputed;
    }
    all_confirmed = all_confirmed && latest != nullptr;
  }
  return all_confirmed ? ReviewState::kConfirmed : ReviewState::kPending;
}

std::vector<std::string> OwningAgencies(const CriteriaSet& set, const Ownership& ownership,
                                        const std::string& criterion_code) {
  std::vector<std::string> out;
  for (const Indicator* i : set.IndicatorsOf(criterion_code)) {
    std::string owner = ownership.OwnerOf(*i);
    if (!owner.empty() && std::find(out.begin(), out.end(), owner) == out.end()) {
      out.push_back(std::move(owner));
    }
  }
  return out;
}

Standing Evaluate(const CriteriaSet& set, const Assessment& assessment,
                  const Ownership& ownership) {
  Standing s;
  const int year = static_cast<int>(assessment.as_of.year());
  s.indicators.reserve(set.indicators.size());
  for (const auto& indicator : set.indicators) {
    IndicatorOutcome o;
    o.indicator = &indicator;
    o.value = assessment.FindValue(indicator.code);
    o.result = EvaluateIndicator(indicator, year, o.value != nullptr ? &o.value->value : nullptr);
    o.threshold = ThresholdFor(indicator, year);
    if (o.threshold.status == ThresholdStatus::kDemo && o.value != nullptr) {
      s.uses_demo_thresholds = true;
    }
    s.indicators.push_back(o);
  }
  for (const auto& criterion : set.criteria) {
    CriterionOutcome c;
    c.criterion = &criterion;
    std::vector<IndicatorResult> results;
    for (const auto& o : s.indicators) {
      if (o.indicator->criterion_code == criterion.code) {
        results.push_back(o.result);
        c.indicators_met += o.result == IndicatorResult::kMet ? 1 : 0;
      }
    }
    c.indicators_total = static_cast<int>(results.size());
    c.result = CombineIndicators(results);
    c.review = CombineReviews(OwningAgencies(set, ownership, criterion.code), assessment.reviews,
                              criterion.code);
    s.criteria_met += c.result == CriterionResult::kMet ? 1 : 0;
    s.criteria.push_back(c);
  }
  s.criteria_total = static_cast<int>(set.criteria.size());
  s.standard_reached = s.criteria_total > 0 && s.criteria_met == s.criteria_total;
  return s;
}

}  // namespace ntm::assessment
