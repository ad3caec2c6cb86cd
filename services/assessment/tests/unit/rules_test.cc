// Unit tests of the assessment lifecycle rules (rules.h), of Ownership::OwnerOf (model.h), and of
// CombineReviews / Evaluate (evaluation.h). EvaluateIndicator and CombineIndicators are covered in
// evaluation_test.cc.
#include "services/assessment/domain/rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/assessment/domain/evaluation.h"
#include "services/assessment/domain/model.h"

namespace ntm::assessment {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// Checks the code and that the message contains every one of `parts`.
void ExpectError(const absl::Status& status, absl::StatusCode code,
                 const std::vector<std::string>& parts) {
  EXPECT_EQ(status.code(), code) << status;
  for (const std::string& part : parts) {
    EXPECT_THAT(std::string(status.message()), HasSubstr(part)) << "code " << status.code();
  }
}

template <typename T>
void ExpectError(const absl::StatusOr<T>& result, absl::StatusCode code,
                 const std::vector<std::string>& parts) {
  ExpectError(result.status(), code, parts);
}

std::string Repeat(absl::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out.append(s.data(), s.size());
  }
  return out;
}

Indicator MakeIndicator(std::string code, std::string criterion, Measure measure,
                        std::optional<Decimal4> threshold = std::nullopt,
                        ThresholdStatus status = ThresholdStatus::kOfficial) {
  Indicator i;
  i.code = std::move(code);
  i.criterion_code = std::move(criterion);
  i.measure = measure;
  if (measure == Measure::kBoolean || measure == Measure::kNoneAllowed) {
    i.thresholds.push_back({0, std::nullopt, ThresholdStatus::kImplicit, "", "", std::nullopt});
  } else if (threshold.has_value()) {
    i.thresholds.push_back({0, threshold, status, "", "", std::nullopt});
  }
  return i;
}

// Criterion 1 (nobody owns it): 1.1 yes/no, 1.2 percent at least.
// Criterion 17 (default owner tnmt, 17.3 owned by yte): one indicator of every other measure.
CriteriaSet RulesSet() {
  CriteriaSet set;
  set.id = "test-set";
  set.first_year = 2022;
  set.last_year = 2025;
  set.criteria = {{"1", "Quy hoạch", "Planning", 1}, {"17", "Môi trường", "Environment", 4}};
  set.indicators = {
      MakeIndicator("1.1", "1", Measure::kBoolean),
      MakeIndicator("1.2", "1", Measure::kPercentAtLeast, 700000),
      MakeIndicator("17.1", "17", Measure::kPercentAtLeast, 950000),
      MakeIndicator("17.2", "17", Measure::kAmountAtLeast, 420000),
      MakeIndicator("17.3", "17", Measure::kCountAtLeast, 20000),
      MakeIndicator("17.4", "17", Measure::kNoneAllowed),
      MakeIndicator("17.5", "17", Measure::kPercentAtMost, 130000),
  };
  return set;
}

OwnershipAssignment Assign(std::string criterion, std::string indicator, std::string agency) {
  OwnershipAssignment a;
  a.criterion_code = std::move(criterion);
  a.indicator_code = std::move(indicator);
  a.agency_id = std::move(agency);
  return a;
}

Ownership RulesOwnership() {
  Ownership o;
  o.unit_code = "106";
  o.criteria_set_id = "test-set";
  o.assignments = {Assign("17", "", "tnmt"), Assign("17", "17.3", "yte")};
  o.version = 3;
  return o;
}

Assessment Draft(int64_t version = 5) {
  Assessment a;
  a.id = 42;
  a.unit_code = "03424";
  a.as_of = absl::CivilDay(2023, 12, 31);
  a.criteria_set_id = "test-set";
  a.state = AssessmentState::kDraft;
  a.version = version;
  return a;
}

Assessment Submitted(int64_t version = 5) {
  Assessment a = Draft(version);
  a.state = AssessmentState::kSubmitted;
  a.submitted_by = "xa-ban-bo";
  return a;
}

ValueInput In(std::string code, std::optional<Value> value, std::string note = "",
              std::string evidence = "") {
  return {std::move(code), value, std::move(note), std::move(evidence)};
}

const Actor kCommune{"can-bo-xa", ""};
const Actor kTnmt{"tnmt-system", "tnmt"};
const Actor kYte{"yte-officer", "yte"};
const absl::Time kNow = absl::FromUnixSeconds(1703980800);  // 2023-12-31T00:00:00Z

class SetValuesTest : public ::testing::Test {
 protected:
  absl::StatusOr<AssessmentChange> Set(const std::vector<ValueInput>& inputs,
                                       const Actor& actor = kCommune) {
    return DecideSetValues(set_, ownership_, current_, inputs, Etag(current_.version), actor, kNow);
  }

  CriteriaSet set_ = RulesSet();
  Ownership ownership_ = RulesOwnership();
  Assessment current_ = Draft();
};

// ---------------------------------------------------------------------------------------------
// DecideSetValues

TEST_F(SetValuesTest, AcceptsOneValueOfEveryMeasure) {
  absl::StatusOr<AssessmentChange> c =
      Set({In("1.1", Value::Boolean(true), "ghi chú", "QĐ 123/QĐ-UBND"),
           In("1.2", Value::Number(955000)), In("17.1", Value::Number(0)),
           In("17.2", Value::Number(0)), In("17.3", Value::Count(0)), In("17.4", Value::Count(0)),
           In("17.5", Value::Number(1000000))});
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->upsert_values.size(), 7u);
  EXPECT_EQ(c->upsert_values[0].indicator_code, "1.1");
  EXPECT_EQ(c->upsert_values[0].value, Value::Boolean(true));
  EXPECT_EQ(c->upsert_values[0].note, "ghi chú");
  EXPECT_EQ(c->upsert_values[0].evidence, "QĐ 123/QĐ-UBND");
  EXPECT_EQ(c->upsert_values[1].value, Value::Number(955000));
  EXPECT_EQ(c->upsert_values[4].value, Value::Count(0));
  EXPECT_FALSE(c->new_state.has_value());
  EXPECT_FALSE(c->review.has_value());
}

TEST_F(SetValuesTest, NoValuesIsInvalid) {
  ExpectError(Set({}), absl::StatusCode::kInvalidArgument, {"values: ", "at least one"});
}

TEST_F(SetValuesTest, UnknownIndicatorNamesItsField) {
  absl::StatusOr<AssessmentChange> c =
      Set({In("1.1", Value::Boolean(true)), In("99.9", Value::Boolean(true))});
  ExpectError(c, absl::StatusCode::kInvalidArgument,
              {"values[1].indicator_code: ", "'99.9'", "test-set"});
  EXPECT_THAT(std::string(c.status().message()), StartsWith("values[1].indicator_code: "));
}

TEST_F(SetValuesTest, DuplicateIndicatorIsInvalid) {
  ExpectError(Set({In("1.1", Value::Boolean(true)), In("1.2", Value::Number(1)),
                   In("1.1", Value::Boolean(false))}),
              absl::StatusCode::kInvalidArgument,
              {"values[2].indicator_code: ", "indicator 1.1 is given twice"});
}

TEST_F(SetValuesTest, MissingValueIsInvalid) {
  ExpectError(Set({In("1.1", Value::Boolean(true)), In("1.2", std::nullopt)}),
              absl::StatusCode::kInvalidArgument,
              {"values[1].value: ", "no value given for indicator 1.2"});
}

TEST_F(SetValuesTest, WrongKindNamesTheKindGivenAndSaysWhatToGive) {
  ExpectError(Set({In("1.2", Value::Boolean(true))}), absl::StatusCode::kInvalidArgument,
              {"values[0].boolean_value: ", "indicator 1.2", "give number_value instead"});
  ExpectError(Set({In("1.1", Value::Number(10000))}), absl::StatusCode::kInvalidArgument,
              {"values[0].number_value: ", "indicator 1.1", "give boolean_value instead"});
  ExpectError(Set({In("17.3", Value::Number(10000))}), absl::StatusCode::kInvalidArgument,
              {"values[0].number_value: ", "indicator 17.3", "give count_value instead"});
  ExpectError(Set({In("17.4", Value::Boolean(false))}), absl::StatusCode::kInvalidArgument,
              {"values[0].boolean_value: ", "indicator 17.4", "give count_value instead"});
  ExpectError(Set({In("17.2", Value::Count(5))}), absl::StatusCode::kInvalidArgument,
              {"values[0].count_value: ", "indicator 17.2", "give number_value instead"});
}

TEST_F(SetValuesTest, PercentBoundsAreInclusive) {
  for (const char* code : {"1.2", "17.1", "17.5"}) {
    for (double ok : {0.0, 100.0}) {
      absl::StatusOr<Decimal4> d = ToDecimal4("x", ok);
      ASSERT_TRUE(d.ok());
      EXPECT_TRUE(Set({In(code, Value::Number(*d))}).ok()) << code << " " << ok;
    }
    for (double bad : {-0.0001, 100.0001}) {
      absl::StatusOr<Decimal4> d = ToDecimal4("x", bad);
      ASSERT_TRUE(d.ok());
      ExpectError(Set({In(code, Value::Number(*d))}), absl::StatusCode::kInvalidArgument,
                  {"values[0].number_value: ", std::string("indicator ") + code, "outside 0–100"});
    }
  }
}

TEST_F(SetValuesTest, NegativeAmountAndCountAreRefused) {
  EXPECT_TRUE(Set({In("17.2", Value::Number(0))}).ok());
  EXPECT_TRUE(Set({In("17.2", Value::Number(5'000'000'000'000))}).ok());  // 500 million: no cap
  ExpectError(Set({In("17.2", Value::Number(-1))}), absl::StatusCode::kInvalidArgument,
              {"values[0].number_value: ", "indicator 17.2 is negative"});
  ExpectError(Set({In("17.3", Value::Count(-1))}), absl::StatusCode::kInvalidArgument,
              {"values[0].count_value: ", "-1 for indicator 17.3 is negative"});
  ExpectError(Set({In("17.4", Value::Count(-3))}), absl::StatusCode::kInvalidArgument,
              {"values[0].count_value: ", "-3 for indicator 17.4 is negative"});
}

TEST_F(SetValuesTest, NoteLengthCountsCharactersNotBytes) {
  const std::string ok = Repeat("ệ", 2000);  // 3 bytes each: 6000 bytes
  ASSERT_EQ(ok.size(), 6000u);
  absl::StatusOr<AssessmentChange> c = Set({In("1.1", Value::Boolean(true), ok)});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->upsert_values[0].note, ok);  // stored as given, never stripped
  const std::string mixed = Repeat("Đạt chuẩn nông thôn mới. ", 80);  // 25 characters each
  ASSERT_EQ(Utf8Length(mixed), 2000u);
  EXPECT_TRUE(Set({In("1.1", Value::Boolean(true), mixed)}).ok());

  ExpectError(Set({In("1.1", Value::Boolean(true), Repeat("ệ", 2001))}),
              absl::StatusCode::kInvalidArgument, {"values[0].note: ", "2000 characters"});
  ExpectError(Set({In("1.1", Value::Boolean(true), Repeat("a", 2001))}),
              absl::StatusCode::kInvalidArgument, {"values[0].note: "});
}

TEST_F(SetValuesTest, EvidenceLengthCountsCharacters) {
  EXPECT_TRUE(Set({In("1.1", Value::Boolean(true), "", Repeat("ở", 1000))}).ok());
  ExpectError(Set({In("1.1", Value::Boolean(true), "", Repeat("ở", 1001))}),
              absl::StatusCode::kInvalidArgument, {"values[0].evidence: ", "1000 characters"});
}

TEST_F(SetValuesTest, AgencySetsTheIndicatorsItOwns) {
  // tnmt owns criterion 17 by default; yte owns 17.3 by its own assignment.
  absl::StatusOr<AssessmentChange> c =
      Set({In("17.1", Value::Number(960000)), In("17.2", Value::Number(500000))}, kTnmt);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->upsert_values.size(), 2u);
  for (const IndicatorValue& v : c->upsert_values) {
    EXPECT_EQ(v.source, ValueSource::kAgency);
    EXPECT_EQ(v.supplied_by, "tnmt-system");
    EXPECT_EQ(v.agency_id, "tnmt");
    EXPECT_EQ(v.update_time, kNow);
  }
  EXPECT_TRUE(Set({In("17.3", Value::Count(3))}, kYte).ok());
}

TEST_F(SetValuesTest, AgencyNotOwningTheIndicatorIsDenied) {
  // 17.3 is yte's, even though tnmt owns the rest of criterion 17.
  absl::StatusOr<AssessmentChange> c =
      Set({In("17.1", Value::Number(960000)), In("17.3", Value::Count(3))}, kTnmt);
  ExpectError(c, absl::StatusCode::kPermissionDenied,
              {"values[1]", "agency tnmt", "indicator 17.3", "owner: yte"});
  ExpectError(Set({In("17.1", Value::Number(960000))}, kYte), absl::StatusCode::kPermissionDenied,
              {"values[0]", "agency yte", "indicator 17.1", "owner: tnmt"});
  // Nobody owns criterion 1.
  ExpectError(Set({In("1.1", Value::Boolean(true))}, kTnmt), absl::StatusCode::kPermissionDenied,
              {"agency tnmt", "indicator 1.1", "owner: nobody"});
}

TEST_F(SetValuesTest, CommuneIsUnaffectedByOwnership) {
  absl::StatusOr<AssessmentChange> c = Set(
      {In("1.1", Value::Boolean(false)), In("17.1", Value::Number(1)), In("17.3", Value::Count(1))},
      kCommune);
  ASSERT_TRUE(c.ok()) << c.status();
  for (const IndicatorValue& v : c->upsert_values) {
    EXPECT_EQ(v.source, ValueSource::kCommune);
    EXPECT_EQ(v.supplied_by, "can-bo-xa");
    EXPECT_EQ(v.agency_id, "");
    EXPECT_EQ(v.update_time, kNow);
  }
}

TEST_F(SetValuesTest, SubmittedAssessmentIsFailedPrecondition) {
  current_ = Submitted();
  ExpectError(Set({In("1.1", Value::Boolean(true))}), absl::StatusCode::kFailedPrecondition,
              {"03424", "2023-12-31", "submitted"});
}

TEST_F(SetValuesTest, StaleEtagIsAborted) {
  absl::StatusOr<AssessmentChange> c = DecideSetValues(
      set_, ownership_, current_, {In("1.1", Value::Boolean(true))}, Etag(4), kCommune, kNow);
  ExpectError(c, absl::StatusCode::kAborted, {"etag", "\"4\"", "\"5\""});
}

TEST_F(SetValuesTest, MissingEtagIsInvalid) {
  absl::StatusOr<AssessmentChange> c = DecideSetValues(
      set_, ownership_, current_, {In("1.1", Value::Boolean(true))}, "", kCommune, kNow);
  ExpectError(c, absl::StatusCode::kInvalidArgument, {"etag: ", "required"});
}

TEST_F(SetValuesTest, MalformedValueIsInvalidEvenWhenSubmittedAndStale) {
  current_ = Submitted();
  ExpectError(DecideSetValues(set_, ownership_, current_, {In("1.2", Value::Number(-1))}, Etag(1),
                              kCommune, kNow),
              absl::StatusCode::kInvalidArgument, {"values[0].number_value: "});
  ExpectError(DecideSetValues(set_, ownership_, current_, {In("99", Value::Boolean(true))}, "",
                              kCommune, kNow),
              absl::StatusCode::kInvalidArgument, {"values[0].indicator_code: "});
  // A well-formed request on a submitted assessment with a stale etag: the state is the news,
  // since retrying after a fresh read would not help.
  ExpectError(DecideSetValues(set_, ownership_, current_, {In("1.2", Value::Number(1))}, Etag(1),
                              kCommune, kNow),
              absl::StatusCode::kFailedPrecondition, {"submitted"});
}

TEST_F(SetValuesTest, EventListsTheIndicators) {
  absl::StatusOr<AssessmentChange> c =
      Set({In("17.2", Value::Number(500000)), In("17.1", Value::Number(960000))}, kTnmt);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->event.action, "values_set");
  EXPECT_EQ(c->event.actor, "tnmt-system");
  EXPECT_EQ(c->event.agency_id, "tnmt");
  EXPECT_EQ(c->event.time, kNow);
  EXPECT_THAT(c->event.detail, HasSubstr("17.1"));
  EXPECT_THAT(c->event.detail, HasSubstr("17.2"));
  EXPECT_THAT(c->event.detail, Not(HasSubstr("17.3")));
}

// ---------------------------------------------------------------------------------------------
// DecideSubmit

TEST(DecideSubmitTest, DraftBecomesSubmitted) {
  Assessment a = Draft(7);
  a.values.resize(3);
  absl::StatusOr<AssessmentChange> c = DecideSubmit(a, Etag(7), kCommune, kNow);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_TRUE(c->new_state.has_value());
  EXPECT_EQ(*c->new_state, AssessmentState::kSubmitted);
  EXPECT_EQ(c->submitted_by, "can-bo-xa");
  EXPECT_THAT(c->upsert_values, IsEmpty());
  EXPECT_FALSE(c->review.has_value());
  EXPECT_EQ(c->event.action, "submitted");
  EXPECT_EQ(c->event.actor, "can-bo-xa");
  EXPECT_EQ(c->event.time, kNow);
  EXPECT_THAT(c->event.detail, HasSubstr("3"));
}

TEST(DecideSubmitTest, AlreadySubmittedIsFailedPrecondition) {
  ExpectError(DecideSubmit(Submitted(7), Etag(7), kCommune, kNow),
              absl::StatusCode::kFailedPrecondition, {"03424", "2023-12-31", "already submitted"});
}

TEST(DecideSubmitTest, EtagIsChecked) {
  ExpectError(DecideSubmit(Draft(7), Etag(6), kCommune, kNow), absl::StatusCode::kAborted,
              {"etag", "\"6\"", "\"7\""});
  ExpectError(DecideSubmit(Draft(7), "", kCommune, kNow), absl::StatusCode::kInvalidArgument,
              {"etag: "});
}

// ---------------------------------------------------------------------------------------------
// DecideReview

class ReviewTest : public ::testing::Test {
 protected:
  absl::StatusOr<AssessmentChange> Review(absl::string_view criterion,
                                          std::optional<Verdict> verdict, absl::string_view reason,
                                          const Actor& actor) {
    return DecideReview(set_, ownership_, current_, criterion, verdict, reason,
                        Etag(current_.version), actor, kNow);
  }

  CriteriaSet set_ = RulesSet();
  Ownership ownership_ = RulesOwnership();
  Assessment current_ = Submitted();
};

TEST_F(ReviewTest, UnknownCriterionIsInvalid) {
  ExpectError(Review("99", Verdict::kConfirmed, "", kTnmt), absl::StatusCode::kInvalidArgument,
              {"criterion_code: ", "'99'", "test-set"});
  // An indicator code is not a criterion code.
  ExpectError(Review("17.1", Verdict::kConfirmed, "", kTnmt), absl::StatusCode::kInvalidArgument,
              {"criterion_code: "});
}

TEST_F(ReviewTest, VerdictIsRequired) {
  ExpectError(Review("17", std::nullopt, "", kTnmt), absl::StatusCode::kInvalidArgument,
              {"verdict: ", "CONFIRMED or DISPUTED"});
}

TEST_F(ReviewTest, DisputeNeedsAReason) {
  ExpectError(Review("17", Verdict::kDisputed, "", kTnmt), absl::StatusCode::kInvalidArgument,
              {"reason: ", "dispute needs a reason"});
}

TEST_F(ReviewTest, ReasonLengthCountsCharacters) {
  EXPECT_TRUE(Review("17", Verdict::kDisputed, Repeat("ữ", 2000), kTnmt).ok());
  ExpectError(Review("17", Verdict::kDisputed, Repeat("ữ", 2001), kTnmt),
              absl::StatusCode::kInvalidArgument, {"reason: ", "2000 characters"});
}

TEST_F(ReviewTest, ActorWithoutAgencyIsDenied) {
  ExpectError(Review("17", Verdict::kConfirmed, "", kCommune), absl::StatusCode::kPermissionDenied,
              {"agency"});
}

TEST_F(ReviewTest, AgencyOwningOneIndicatorOfTheCriterionMayReview) {
  // yte owns only 17.3 of criterion 17.
  absl::StatusOr<AssessmentChange> c = Review("17", Verdict::kConfirmed, "", kYte);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_TRUE(c->review.has_value());
  EXPECT_EQ(c->review->criterion_code, "17");
  EXPECT_EQ(c->review->agency_id, "yte");
  EXPECT_EQ(c->review->verdict, Verdict::kConfirmed);
  EXPECT_EQ(c->review->reason, "");
  EXPECT_EQ(c->review->reviewer, "yte-officer");
  EXPECT_EQ(c->review->time, kNow);
  EXPECT_FALSE(c->new_state.has_value());
  EXPECT_THAT(c->upsert_values, IsEmpty());
  EXPECT_EQ(c->event.action, "reviewed");
  EXPECT_EQ(c->event.agency_id, "yte");
  EXPECT_THAT(c->event.detail, HasSubstr("criterion 17 confirmed"));
}

TEST_F(ReviewTest, DisputeKeepsTheReason) {
  const std::string reason = "Số liệu hộ nghèo chưa khớp với kết quả rà soát năm 2023";
  absl::StatusOr<AssessmentChange> c = Review("17", Verdict::kDisputed, reason, kTnmt);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->review->verdict, Verdict::kDisputed);
  EXPECT_EQ(c->review->reason, reason);
  EXPECT_THAT(c->event.detail, HasSubstr("criterion 17 disputed"));
  EXPECT_THAT(c->event.detail, HasSubstr(reason));
}

TEST_F(ReviewTest, AgencyOwningNoIndicatorIsDeniedAndToldTheOwners) {
  ExpectError(Review("17", Verdict::kConfirmed, "", Actor{"nn-officer", "nn"}),
              absl::StatusCode::kPermissionDenied,
              {"agency nn", "criterion 17", "owners: tnmt, yte"});
}

TEST_F(ReviewTest, CriterionWithoutOwnerCannotBeReviewed) {
  ExpectError(Review("1", Verdict::kConfirmed, "", kTnmt), absl::StatusCode::kPermissionDenied,
              {"agency tnmt", "criterion 1 ", "owners: nobody"});
}

TEST_F(ReviewTest, DraftIsFailedPrecondition) {
  current_ = Draft();
  ExpectError(Review("17", Verdict::kConfirmed, "", kTnmt), absl::StatusCode::kFailedPrecondition,
              {"03424", "2023-12-31", "draft"});
}

TEST_F(ReviewTest, EtagIsChecked) {
  ExpectError(
      DecideReview(set_, ownership_, current_, "17", Verdict::kConfirmed, "", Etag(4), kTnmt, kNow),
      absl::StatusCode::kAborted, {"\"4\"", "\"5\""});
  ExpectError(
      DecideReview(set_, ownership_, current_, "17", Verdict::kConfirmed, "", "", kTnmt, kNow),
      absl::StatusCode::kInvalidArgument, {"etag: "});
}

// ---------------------------------------------------------------------------------------------
// ParseDate / FormatDate

TEST(ParseDateTest, AcceptsValidDates) {
  absl::StatusOr<absl::CivilDay> d = ParseDate("as_of_date", "2023-12-31");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d, absl::CivilDay(2023, 12, 31));
  d = ParseDate("as_of_date", "2024-02-29");  // leap day
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d, absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(FormatDate(absl::CivilDay(2023, 1, 5)), "2023-01-05");
}

TEST(ParseDateTest, RefusesDaysThatDoNotExist) {
  for (const char* text : {"2023-02-30", "2023-02-29", "2023-04-31", "2023-13-01", "2023-00-10",
                           "2023-12-00", "2023-12-32"}) {
    ExpectError(ParseDate("as_of_date", text), absl::StatusCode::kInvalidArgument,
                {"as_of_date: ", std::string("'") + text + "'", "YYYY-MM-DD"});
  }
}

TEST(ParseDateTest, RefusesOtherFormats) {
  for (const char* text :
       {"", "2023-12-3", "2023-1-31", "31/12/2023", "2023/12/31", "20231231",
        "2023-12-31T00:00:00Z", " 2023-12-31", "2023-12-31 ", "abcd-ef-gh", "2023-12", "2023"}) {
    ExpectError(ParseDate("date", text), absl::StatusCode::kInvalidArgument, {"date: "});
  }
}

TEST(ParseDateTest, YearMustBeWithinBounds) {
  EXPECT_TRUE(ParseDate("d", "2000-01-01").ok());
  EXPECT_TRUE(ParseDate("d", "2100-12-31").ok());
  ExpectError(ParseDate("d", "1999-12-31"), absl::StatusCode::kInvalidArgument,
              {"d: ", "year 1999"});
  ExpectError(ParseDate("d", "2101-01-01"), absl::StatusCode::kInvalidArgument,
              {"d: ", "year 2101"});
}

// ---------------------------------------------------------------------------------------------
// ToDecimal4 / FromDecimal4

TEST(ToDecimal4Test, RoundsToFourPlaces) {
  EXPECT_EQ(ToDecimal4("v", 95.5).value(), 955000);
  EXPECT_EQ(ToDecimal4("v", 0.0).value(), 0);
  EXPECT_EQ(ToDecimal4("v", 100.0).value(), 1000000);
  EXPECT_EQ(ToDecimal4("v", 1.23456).value(), 12346);
  EXPECT_EQ(ToDecimal4("v", 1.23454).value(), 12345);
  EXPECT_EQ(ToDecimal4("v", -1.23456).value(), -12346);
  EXPECT_EQ(ToDecimal4("v", 0.00004).value(), 0);
  EXPECT_EQ(ToDecimal4("v", 0.00006).value(), 1);
  EXPECT_EQ(ToDecimal4("v", 0.1 + 0.2).value(), 3000);  // 0.30000000000000004
  EXPECT_EQ(ToDecimal4("v", 42.0).value(), 420000);
  EXPECT_DOUBLE_EQ(FromDecimal4(955000), 95.5);
  EXPECT_DOUBLE_EQ(FromDecimal4(-1), -0.0001);
}

TEST(ToDecimal4Test, RefusesNonFiniteNumbers) {
  for (double bad :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity()}) {
    ExpectError(ToDecimal4("values[0].number_value", bad), absl::StatusCode::kInvalidArgument,
                {"values[0].number_value: ", "finite"});
  }
}

TEST(ToDecimal4Test, RefusesNumbersTooLargeForFixedPoint) {
  EXPECT_EQ(ToDecimal4("v", 1e12).value(), 10'000'000'000'000'000);
  ExpectError(ToDecimal4("v", 1e13), absl::StatusCode::kInvalidArgument, {"v: ", "too large"});
  ExpectError(ToDecimal4("v", -1e300), absl::StatusCode::kInvalidArgument, {"v: "});
}

// ---------------------------------------------------------------------------------------------
// Etag / CheckEtag

TEST(EtagTest, IsTheQuotedVersion) {
  EXPECT_EQ(Etag(1), "\"1\"");
  EXPECT_EQ(Etag(12345), "\"12345\"");
}

TEST(EtagTest, CheckEtag) {
  EXPECT_TRUE(CheckEtag("\"7\"", 7, "assessment").ok());
  ExpectError(CheckEtag("", 7, "assessment"), absl::StatusCode::kInvalidArgument,
              {"etag: ", "assessment"});
  ExpectError(CheckEtag("\"6\"", 7, "ownership"), absl::StatusCode::kAborted,
              {"etag", "ownership", "\"6\"", "\"7\""});
  ExpectError(CheckEtag("\"8\"", 7, "assessment"), absl::StatusCode::kAborted, {"\"8\""});
  EXPECT_FALSE(CheckEtag("7", 7, "assessment").ok());  // unquoted is not the etag
}

// ---------------------------------------------------------------------------------------------
// Utf8Length

TEST(Utf8LengthTest, CountsCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("Bản Bo"), 6u);
  EXPECT_EQ(Utf8Length("Đạt"), 3u);
  EXPECT_EQ(Utf8Length("Nông thôn mới"), 13u);
  EXPECT_EQ(Utf8Length("Xã Bản Bo, huyện Tam Đường"), 26u);
  EXPECT_EQ(Utf8Length("\xF0\x9F\x98\x80"), 1u);  // a four-byte emoji
  // Decomposed "ệ" (e + combining dot below + combining circumflex) is three code points.
  EXPECT_EQ(Utf8Length("e\xCC\xA3\xCC\x82"), 3u);
}

// ---------------------------------------------------------------------------------------------
// ValidateThresholdValue

TEST(ValidateThresholdValueTest, YesNoAndNoneAllowedTakeNoValue) {
  ExpectError(ValidateThresholdValue(MakeIndicator("1.1", "1", Measure::kBoolean), 0, "t.value"),
              absl::StatusCode::kInvalidArgument, {"t.value: ", "indicator 1.1", "takes no value"});
  ExpectError(
      ValidateThresholdValue(MakeIndicator("17.4", "17", Measure::kNoneAllowed), 0, "t.value"),
      absl::StatusCode::kInvalidArgument, {"t.value: ", "indicator 17.4", "takes no value"});
}

TEST(ValidateThresholdValueTest, PercentagesLieWithin0To100) {
  for (Measure m : {Measure::kPercentAtLeast, Measure::kPercentAtMost}) {
    const Indicator i = MakeIndicator("1.2", "1", m);
    EXPECT_TRUE(ValidateThresholdValue(i, 0, "t").ok());
    EXPECT_TRUE(ValidateThresholdValue(i, 1000000, "t").ok());
    ExpectError(ValidateThresholdValue(i, -1, "t"), absl::StatusCode::kInvalidArgument,
                {"t: ", "outside 0–100"});
    ExpectError(ValidateThresholdValue(i, 1000001, "t"), absl::StatusCode::kInvalidArgument,
                {"t: ", "outside 0–100"});
  }
}

TEST(ValidateThresholdValueTest, AmountsAndCountsAreNonNegative) {
  for (Measure m : {Measure::kAmountAtLeast, Measure::kCountAtLeast}) {
    const Indicator i = MakeIndicator("10.1", "10", m);
    EXPECT_TRUE(ValidateThresholdValue(i, 0, "t").ok());
    EXPECT_TRUE(ValidateThresholdValue(i, 700'000'000, "t").ok());  // above 100 is fine
    ExpectError(ValidateThresholdValue(i, -10000, "t"), absl::StatusCode::kInvalidArgument,
                {"t: ", "negative"});
  }
}

// ---------------------------------------------------------------------------------------------
// Ownership::OwnerOf

TEST(OwnerOfTest, IndicatorOverrideWinsOverCriterionDefaultInEitherOrder) {
  const Indicator i173 = MakeIndicator("17.3", "17", Measure::kCountAtLeast);
  const Indicator i171 = MakeIndicator("17.1", "17", Measure::kPercentAtLeast);
  Ownership o;
  o.assignments = {Assign("17", "", "tnmt"), Assign("17", "17.3", "yte")};
  EXPECT_EQ(o.OwnerOf(i173), "yte");
  EXPECT_EQ(o.OwnerOf(i171), "tnmt");
  o.assignments = {Assign("17", "17.3", "yte"), Assign("17", "", "tnmt")};
  EXPECT_EQ(o.OwnerOf(i173), "yte");
  EXPECT_EQ(o.OwnerOf(i171), "tnmt");
}

TEST(OwnerOfTest, NobodyWithoutDefaultOrOverride) {
  const Indicator i172 = MakeIndicator("17.2", "17", Measure::kAmountAtLeast);
  const Indicator i11 = MakeIndicator("1.1", "1", Measure::kBoolean);
  Ownership o;
  EXPECT_EQ(o.OwnerOf(i172), "");
  o.assignments = {Assign("17", "17.3", "yte"), Assign("1", "", "nn")};
  EXPECT_EQ(o.OwnerOf(i172), "");  // another indicator's override does not apply
  EXPECT_EQ(o.OwnerOf(i11), "nn");
  // An assignment filed under another criterion does not apply, even with the same code.
  o.assignments = {Assign("18", "17.2", "xd"), Assign("18", "", "xd")};
  EXPECT_EQ(o.OwnerOf(i172), "");
}

// ---------------------------------------------------------------------------------------------
// CombineReviews

::ntm::assessment::Review MakeReview(std::string criterion, std::string agency, Verdict verdict) {
  ::ntm::assessment::Review r;
  r.criterion_code = std::move(criterion);
  r.agency_id = std::move(agency);
  r.verdict = verdict;
  return r;
}

TEST(CombineReviewsTest, NoOwner) {
  EXPECT_EQ(CombineReviews({}, {}, "17"), ReviewState::kNoOwner);
  EXPECT_EQ(CombineReviews({}, {MakeReview("17", "tnmt", Verdict::kConfirmed)}, "17"),
            ReviewState::kNoOwner);
}

TEST(CombineReviewsTest, PendingUntilEveryOwnerConfirms) {
  EXPECT_EQ(CombineReviews({"tnmt", "yte"}, {}, "17"), ReviewState::kPending);
  EXPECT_EQ(CombineReviews({"tnmt", "yte"}, {MakeReview("17", "tnmt", Verdict::kConfirmed)}, "17"),
            ReviewState::kPending);
  // Reviews of another criterion, or by an agency that does not own, do not count.
  EXPECT_EQ(CombineReviews({"tnmt", "yte"},
                           {MakeReview("17", "tnmt", Verdict::kConfirmed),
                            MakeReview("18", "yte", Verdict::kConfirmed),
                            MakeReview("17", "nn", Verdict::kConfirmed)},
                           "17"),
            ReviewState::kPending);
}

TEST(CombineReviewsTest, ConfirmedWhenAllConfirm) {
  EXPECT_EQ(CombineReviews({"tnmt", "yte"},
                           {MakeReview("17", "yte", Verdict::kConfirmed),
                            MakeReview("17", "tnmt", Verdict::kConfirmed)},
                           "17"),
            ReviewState::kConfirmed);
}

TEST(CombineReviewsTest, AnyDisputeWins) {
  EXPECT_EQ(CombineReviews({"tnmt", "yte"}, {MakeReview("17", "yte", Verdict::kDisputed)}, "17"),
            ReviewState::kDisputed);
  EXPECT_EQ(CombineReviews({"tnmt", "yte"},
                           {MakeReview("17", "tnmt", Verdict::kConfirmed),
                            MakeReview("17", "yte", Verdict::kDisputed)},
                           "17"),
            ReviewState::kDisputed);
  // A dispute by a non-owner or on another criterion does not count.
  EXPECT_EQ(CombineReviews({"tnmt"},
                           {MakeReview("17", "tnmt", Verdict::kConfirmed),
                            MakeReview("17", "nn", Verdict::kDisputed),
                            MakeReview("18", "tnmt", Verdict::kDisputed)},
                           "17"),
            ReviewState::kConfirmed);
}

TEST(CombineReviewsTest, LaterReviewBySameAgencyReplacesEarlier) {
  EXPECT_EQ(CombineReviews({"tnmt"},
                           {MakeReview("17", "tnmt", Verdict::kDisputed),
                            MakeReview("17", "tnmt", Verdict::kConfirmed)},
                           "17"),
            ReviewState::kConfirmed);
  EXPECT_EQ(CombineReviews({"tnmt"},
                           {MakeReview("17", "tnmt", Verdict::kConfirmed),
                            MakeReview("17", "tnmt", Verdict::kDisputed)},
                           "17"),
            ReviewState::kDisputed);
  EXPECT_EQ(CombineReviews({"tnmt", "yte"},
                           {MakeReview("17", "yte", Verdict::kDisputed),
                            MakeReview("17", "tnmt", Verdict::kConfirmed),
                            MakeReview("17", "yte", Verdict::kConfirmed)},
                           "17"),
            ReviewState::kConfirmed);
}

// ---------------------------------------------------------------------------------------------
// Evaluate: criterion 1 (1.1 yes/no, 1.2 percent at least 70, official) and criterion 2 (2.1
// amount at least 42 million, a DEMO threshold; 2.2 none allowed). Criterion 2 is owned by tc.

class EvaluateTest : public ::testing::Test {
 protected:
  EvaluateTest() {
    set_.id = "small";
    set_.first_year = 2022;
    set_.last_year = 2025;
    set_.criteria = {{"1", "Quy hoạch", "Planning", 1}, {"2", "Thu nhập", "Income", 3}};
    set_.indicators = {
        MakeIndicator("1.1", "1", Measure::kBoolean),
        MakeIndicator("1.2", "1", Measure::kPercentAtLeast, 700000),
        MakeIndicator("2.1", "2", Measure::kAmountAtLeast, 420000, ThresholdStatus::kDemo),
        MakeIndicator("2.2", "2", Measure::kNoneAllowed),
    };
    ownership_.assignments = {Assign("2", "", "tc")};
    assessment_ = Draft();
    assessment_.criteria_set_id = "small";
  }

  void Put(std::string code, Value v) {
    IndicatorValue iv;
    iv.indicator_code = std::move(code);
    iv.value = v;
    assessment_.values.push_back(std::move(iv));
  }

  void PutAllMet() {
    Put("2.2", Value::Count(0));  // storage order differs from catalog order
    Put("1.1", Value::Boolean(true));
    Put("2.1", Value::Number(420000));
    Put("1.2", Value::Number(700000));
  }

  CriteriaSet set_;
  Ownership ownership_;
  Assessment assessment_;
};

TEST_F(EvaluateTest, AllMetReachesTheStandard) {
  PutAllMet();
  const Standing s = Evaluate(set_, assessment_, ownership_);
  ASSERT_EQ(s.indicators.size(), 4u);
  ASSERT_EQ(s.criteria.size(), 2u);
  // Catalog order, pointing into the set and the assessment.
  EXPECT_EQ(s.indicators[0].indicator, &set_.indicators[0]);
  EXPECT_EQ(s.indicators[3].indicator, &set_.indicators[3]);
  EXPECT_EQ(s.indicators[0].value, &assessment_.values[1]);
  EXPECT_EQ(s.indicators[3].value, &assessment_.values[0]);
  for (const IndicatorOutcome& o : s.indicators) {
    EXPECT_EQ(o.result, IndicatorResult::kMet) << o.indicator->code;
  }
  EXPECT_EQ(s.criteria[0].criterion, &set_.criteria[0]);
  EXPECT_EQ(s.criteria[0].result, CriterionResult::kMet);
  EXPECT_EQ(s.criteria[0].indicators_met, 2);
  EXPECT_EQ(s.criteria[0].indicators_total, 2);
  EXPECT_EQ(s.criteria[1].result, CriterionResult::kMet);
  EXPECT_EQ(s.criteria_met, 2);
  EXPECT_EQ(s.criteria_total, 2);
  EXPECT_TRUE(s.standard_reached);
  EXPECT_TRUE(s.uses_demo_thresholds);  // 2.1 was judged against a demo threshold
}

TEST_F(EvaluateTest, OneUnmetIndicatorFailsItsCriterionAndTheStandard) {
  Put("1.1", Value::Boolean(true));
  Put("1.2", Value::Number(699999));
  Put("2.1", Value::Number(500000));
  Put("2.2", Value::Count(0));
  const Standing s = Evaluate(set_, assessment_, ownership_);
  EXPECT_EQ(s.indicators[1].result, IndicatorResult::kNotMet);
  ASSERT_TRUE(s.indicators[1].threshold.value.has_value());
  EXPECT_EQ(*s.indicators[1].threshold.value, 700000);
  EXPECT_EQ(s.indicators[1].threshold.status, ThresholdStatus::kOfficial);
  EXPECT_EQ(s.criteria[0].result, CriterionResult::kNotMet);
  EXPECT_EQ(s.criteria[0].indicators_met, 1);
  EXPECT_EQ(s.criteria[0].indicators_total, 2);
  EXPECT_EQ(s.criteria[1].result, CriterionResult::kMet);
  EXPECT_EQ(s.criteria_met, 1);
  EXPECT_EQ(s.criteria_total, 2);
  EXPECT_FALSE(s.standard_reached);
}

TEST_F(EvaluateTest, MissingValuesAreIncompleteNotUnmet) {
  Put("1.1", Value::Boolean(true));
  const Standing s = Evaluate(set_, assessment_, ownership_);
  EXPECT_EQ(s.indicators[0].result, IndicatorResult::kMet);
  EXPECT_EQ(s.indicators[1].result, IndicatorResult::kNoData);
  EXPECT_EQ(s.indicators[1].value, nullptr);
  EXPECT_EQ(s.criteria[0].result, CriterionResult::kIncomplete);
  EXPECT_EQ(s.criteria[0].indicators_met, 1);
  EXPECT_EQ(s.criteria[1].result, CriterionResult::kIncomplete);
  EXPECT_EQ(s.criteria[1].indicators_met, 0);
  EXPECT_EQ(s.criteria_met, 0);
  EXPECT_FALSE(s.standard_reached);
}

TEST_F(EvaluateTest, DemoThresholdCountsOnlyWhenAValueWasJudgedAgainstIt) {
  // No value for 2.1: its demo threshold judged nothing.
  Put("1.1", Value::Boolean(true));
  Put("1.2", Value::Number(800000));
  Put("2.2", Value::Count(0));
  EXPECT_FALSE(Evaluate(set_, assessment_, ownership_).uses_demo_thresholds);
  Put("2.1", Value::Number(1));
  const Standing s = Evaluate(set_, assessment_, ownership_);
  EXPECT_TRUE(s.uses_demo_thresholds);
  EXPECT_EQ(s.indicators[2].result, IndicatorResult::kNotMet);
  EXPECT_EQ(s.indicators[2].threshold.status, ThresholdStatus::kDemo);
}

TEST_F(EvaluateTest, OfficialThresholdOfTheYearHidesADemoAllYearsOne) {
  PutAllMet();
  set_.indicators[2].thresholds.push_back(
      {2023, 420000, ThresholdStatus::kOfficial, "", "", std::nullopt});
  Standing s = Evaluate(set_, assessment_, ownership_);
  EXPECT_FALSE(s.uses_demo_thresholds);
  EXPECT_EQ(s.indicators[2].threshold.status, ThresholdStatus::kOfficial);
  // A demo threshold for another year is not used for a 2023 assessment.
  set_.indicators[2].thresholds = {{0, 420000, ThresholdStatus::kOfficial, "", "", std::nullopt},
                                   {2024, 500000, ThresholdStatus::kDemo, "", "", std::nullopt}};
  s = Evaluate(set_, assessment_, ownership_);
  EXPECT_FALSE(s.uses_demo_thresholds);
  EXPECT_TRUE(s.standard_reached);
}

TEST_F(EvaluateTest, ReviewStatePerCriterion) {
  PutAllMet();
  Standing s = Evaluate(set_, assessment_, ownership_);
  EXPECT_EQ(s.criteria[0].review, ReviewState::kNoOwner);
  EXPECT_EQ(s.criteria[1].review, ReviewState::kPending);
  assessment_.reviews.push_back(MakeReview("2", "tc", Verdict::kConfirmed));
  s = Evaluate(set_, assessment_, ownership_);
  EXPECT_EQ(s.criteria[1].review, ReviewState::kConfirmed);
  EXPECT_EQ(s.criteria[0].review, ReviewState::kNoOwner);
}

TEST_F(EvaluateTest, EmptySetNeverReachesTheStandard) {
  const Standing s = Evaluate(CriteriaSet{}, assessment_, ownership_);
  EXPECT_EQ(s.criteria_total, 0);
  EXPECT_FALSE(s.standard_reached);
  EXPECT_FALSE(s.uses_demo_thresholds);
}

TEST(OwningAgenciesTest, InCatalogOrderWithoutRepeats) {
  const CriteriaSet set = RulesSet();
  Ownership o;
  o.assignments = {Assign("17", "17.3", "yte"), Assign("17", "", "tnmt"),
                   Assign("17", "17.5", "yte")};
  EXPECT_THAT(OwningAgencies(set, o, "17"), ElementsAre("tnmt", "yte"));
  EXPECT_THAT(OwningAgencies(set, o, "1"), IsEmpty());
}

}  // namespace
}  // namespace ntm::assessment
