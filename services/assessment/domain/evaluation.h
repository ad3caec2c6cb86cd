// Judging values against thresholds: pure functions, the heart of the service.
//   - a value exactly at the threshold meets it;
//   - a missing value is "no data", never "not met";
//   - a value whose threshold is not set for the year is "threshold not set" (it cannot be met);
//   - a criterion is met only when all its indicators are.
#ifndef NTM_SERVICES_ASSESSMENT_DOMAIN_EVALUATION_H_
#define NTM_SERVICES_ASSESSMENT_DOMAIN_EVALUATION_H_

#include <optional>
#include <string>
#include <vector>

#include "services/assessment/domain/model.h"

namespace ntm::assessment {

enum class IndicatorResult { kMet, kNotMet, kNoData, kThresholdNotSet };
enum class CriterionResult { kMet, kNotMet, kIncomplete };
enum class ReviewState { kPending, kConfirmed, kDisputed, kNoOwner };

// The threshold in force for a year: the year's own, else the edition-wide one (year 0).
struct ThresholdInForce {
  std::optional<Decimal4> value;
  ThresholdStatus status = ThresholdStatus::kNotSet;
};
ThresholdInForce ThresholdFor(const Indicator& indicator, int year);

// Judges one value (nullptr: no value) against the indicator's threshold for `year`.
IndicatorResult EvaluateIndicator(const Indicator& indicator, int year, const Value* value);

struct IndicatorOutcome {
  const Indicator* indicator = nullptr;
  const IndicatorValue* value = nullptr;
  IndicatorResult result = IndicatorResult::kNoData;
  ThresholdInForce threshold;
};

struct CriterionOutcome {
  const Criterion* criterion = nullptr;
  CriterionResult result = CriterionResult::kIncomplete;
  int indicators_met = 0;
  int indicators_total = 0;
  ReviewState review = ReviewState::kNoOwner;
};

struct Standing {
  std::vector<IndicatorOutcome> indicators;  // catalog order
  std::vector<CriterionOutcome> criteria;    // catalog order
  int criteria_met = 0;
  int criteria_total = 0;
  bool standard_reached = false;
  bool uses_demo_thresholds = false;
};

// Combines the criterion's indicator results.
CriterionResult CombineIndicators(const std::vector<IndicatorResult>& results);

// Where the review of a criterion stands: every agency owning one of its indicators must confirm.
ReviewState CombineReviews(const std::vector<std::string>& owning_agencies,
                           const std::vector<Review>& reviews, const std::string& criterion_code);

// The standing of an assessment. The returned pointers point into `set` and `assessment`.
Standing Evaluate(const CriteriaSet& set, const Assessment& assessment, const Ownership& ownership);

// The agencies owning at least one indicator of the criterion, without repeats, in catalog order.
std::vector<std::string> OwningAgencies(const CriteriaSet& set, const Ownership& ownership,
                                        const std::string& criterion_code);

}  // namespace ntm::assessment

#endif  // NTM_SERVICES_ASSESSMENT_DOMAIN_EVALUATION_H_
