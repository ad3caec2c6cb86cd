#include "services/assessment/domain/evaluation.h"

#include <gtest/gtest.h>

namespace ntm::assessment {
namespace {

Indicator Percent(Measure m, std::optional<Decimal4> threshold) {
  Indicator i;
  i.code = "17.11";
  i.criterion_code = "17";
  i.measure = m;
  i.thresholds.push_back(
      {0, threshold, threshold ? ThresholdStatus::kOfficial : ThresholdStatus::kNotSet});
  return i;
}

TEST(EvaluateIndicatorTest, ValueExactlyAtTheThresholdMeetsIt) {
  Indicator at_least = Percent(Measure::kPercentAtLeast, 700000);
  Value v = Value::Number(700000);
  EXPECT_EQ(EvaluateIndicator(at_least, 2023, &v), IndicatorResult::kMet);
  Value below = Value::Number(699999);
  EXPECT_EQ(EvaluateIndicator(at_least, 2023, &below), IndicatorResult::kNotMet);
  Indicator at_most = Percent(Measure::kPercentAtMost, 130000);
  Value equal = Value::Number(130000);
  EXPECT_EQ(EvaluateIndicator(at_most, 2023, &equal), IndicatorResult::kMet);
  Value above = Value::Number(130001);
  EXPECT_EQ(EvaluateIndicator(at_most, 2023, &above), IndicatorResult::kNotMet);
}

TEST(EvaluateIndicatorTest, MissingValueIsNoDataAndMissingThresholdIsNotSet) {
  Indicator unknown = Percent(Measure::kPercentAtLeast, std::nullopt);
  EXPECT_EQ(EvaluateIndicator(unknown, 2023, nullptr), IndicatorResult::kNoData);
  Value v = Value::Number(1000000);
  EXPECT_EQ(EvaluateIndicator(unknown, 2023, &v), IndicatorResult::kThresholdNotSet);
}

TEST(EvaluateIndicatorTest, YearSpecificThresholdWinsOverAllYears) {
  Indicator income;
  income.code = "10";
  income.criterion_code = "10";
  income.measure = Measure::kAmountAtLeast;
  income.thresholds = {{0, 300000, ThresholdStatus::kOfficial, "", "", std::nullopt},
                       {2024, 420000, ThresholdStatus::kOfficial, "", "", std::nullopt}};
  Value v = Value::Number(400000);
  EXPECT_EQ(EvaluateIndicator(income, 2023, &v), IndicatorResult::kMet);
  EXPECT_EQ(EvaluateIndicator(income, 2024, &v), IndicatorResult::kNotMet);
}

TEST(EvaluateIndicatorTest, BooleanAndNoneAllowed) {
  Indicator b;
  b.measure = Measure::kBoolean;
  Value yes = Value::Boolean(true);
  Value no = Value::Boolean(false);
  EXPECT_EQ(EvaluateIndicator(b, 2023, &yes), IndicatorResult::kMet);
  EXPECT_EQ(EvaluateIndicator(b, 2023, &no), IndicatorResult::kNotMet);
  Indicator none;
  none.measure = Measure::kNoneAllowed;
  Value zero = Value::Count(0);
  Value three = Value::Count(3);
  EXPECT_EQ(EvaluateIndicator(none, 2023, &zero), IndicatorResult::kMet);
  EXPECT_EQ(EvaluateIndicator(none, 2023, &three), IndicatorResult::kNotMet);
}

TEST(CombineIndicatorsTest, MetOnlyWhenAllAreMet) {
  using R = IndicatorResult;
  EXPECT_EQ(CombineIndicators({R::kMet, R::kMet}), CriterionResult::kMet);
  EXPECT_EQ(CombineIndicators({R::kMet, R::kNoData}), CriterionResult::kIncomplete);
  EXPECT_EQ(CombineIndicators({R::kNoData, R::kNotMet}), CriterionResult::kNotMet);
  EXPECT_EQ(CombineIndicators({R::kMet, R::kThresholdNotSet}), CriterionResult::kNotMet);
}

}  // namespace
}  // namespace ntm::assessment
