// Unit tests of api/convert.h: resource names, page sizes and tokens, request hashes, the actor,
// and the conversion of assessments and commune standings to the public contract.
#include "services/assessment/api/convert.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace ntm::assessment::api {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

void ExpectInvalid(const absl::Status& status, absl::string_view field,
                   const std::vector<std::string>& parts = {}) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(std::string(status.message()), StartsWith(absl::StrCat(field, ": "))) << status;
  for (const std::string& part : parts) {
    EXPECT_THAT(std::string(status.message()), HasSubstr(part));
  }
}

// ---------------------------------------------------------------------------------------------
// Resource names

TEST(ParseUnitNameTest, AcceptsGoodNames) {
  EXPECT_EQ(ParseUnitName("parent", "units/03424").value(), "03424");
  EXPECT_EQ(ParseUnitName("parent", "units/12").value(), "12");
  EXPECT_EQ(ParseUnitName("parent", "units/106").value(), "106");
  EXPECT_EQ(ParseUnitName("parent", "units/1234567890123456").value(), "1234567890123456");
  EXPECT_EQ(UnitName("03424"), "units/03424");
}

TEST(ParseUnitNameTest, RefusesBadNamesNamingTheField) {
  ExpectInvalid(ParseUnitName("parent", "").status(), "parent", {"required"});
  for (const char* bad : {"units/", "units/abc", "units/03424/", "units/03424/x", "unit/03424",
                          "Units/03424", "03424", "/units/03424", "units/-1", "units/0342 4",
                          "units/12345678901234567", "units/０３４２４"}) {
    ExpectInvalid(ParseUnitName("parent", bad).status(), "parent", {"units/03424"});
  }
}

// The message quotes the name as the caller sent it, like every other name parser does.
TEST(ParseUnitNameTest, MessageQuotesTheNameAsSent) {
  ExpectInvalid(ParseUnitName("unit", "unit/03424").status(), "unit", {"'unit/03424'"});
  ExpectInvalid(ParseUnitName("unit", "units/abc").status(), "unit", {"'units/abc'"});
}

TEST(ParseCriteriaSetNameTest, AcceptsGoodNames) {
  EXPECT_EQ(ParseCriteriaSetName("name", "criteriaSets/lai-chau-2022").value(), "lai-chau-2022");
  EXPECT_EQ(ParseCriteriaSetName("name", "criteriaSets/national-318").value(), "national-318");
  const std::string id64(64, 'a');
  EXPECT_EQ(ParseCriteriaSetName("name", "criteriaSets/" + id64).value(), id64);
  EXPECT_EQ(CriteriaSetName("lai-chau-2022"), "criteriaSets/lai-chau-2022");
}

TEST(ParseCriteriaSetNameTest, RefusesBadNamesNamingTheField) {
  for (const std::string& bad :
       {std::string(""), std::string("criteriaSets/"), std::string("criteriasets/lai-chau-2022"),
        std::string("criteriaSets/Lai-Chau-2022"), std::string("criteriaSets/lai_chau_2022"),
        std::string("criteriaSets/lai chau"), std::string("criteriaSets/lai-chau-2022/x"),
        std::string("lai-chau-2022"), std::string("criteriaSets/lai-châu"),
        "criteriaSets/" + std::string(65, 'a')}) {
    ExpectInvalid(ParseCriteriaSetName("criteria_set", bad).status(), "criteria_set",
                  {"'" + bad + "'", "criteriaSets/lai-chau-2022"});
  }
}

TEST(ParseIndicatorNameTest, AcceptsGoodNames) {
  auto parsed = ParseIndicatorName("indicator.name", "criteriaSets/lai-chau-2022/indicators/17.11");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->first, "lai-chau-2022");
  EXPECT_EQ(parsed->second, "17.11");
  parsed = ParseIndicatorName("indicator.name", "criteriaSets/s/indicators/10");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->second, "10");
}

TEST(ParseIndicatorNameTest, RefusesBadNamesNamingTheField) {
  for (const char* bad :
       {"", "criteriaSets/lai-chau-2022", "criteriaSets/lai-chau-2022/indicators",
        "criteriaSets/lai-chau-2022/indicators/", "criteriaSets/lai-chau-2022/indicators/17a",
        "criteriaSets/lai-chau-2022/criteria/17.11", "criteriaSets/Lai/indicators/17.11",
        "criteriaSets//indicators/17.11", "criteriaSets/lai-chau-2022/indicators/17.11/x",
        "sets/lai-chau-2022/indicators/17.11", "criteriaSets/lai-chau-2022/indicators/17 11"}) {
    ExpectInvalid(ParseIndicatorName("indicator.name", bad).status(), "indicator.name",
                  {std::string("'") + bad + "'"});
  }
}

TEST(ParseAssessmentNameTest, AcceptsGoodNames) {
  auto key = ParseAssessmentName("name", "units/03424/assessments/2023-12-31");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->unit_code, "03424");
  EXPECT_EQ(key->as_of, absl::CivilDay(2023, 12, 31));
  EXPECT_EQ(AssessmentName(*key), "units/03424/assessments/2023-12-31");
  key = ParseAssessmentName("name", "units/03424/assessments/2024-02-29");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->as_of, absl::CivilDay(2024, 2, 29));
}

TEST(ParseAssessmentNameTest, RefusesBadNamesNamingTheField) {
  for (const char* bad :
       {"", "units/03424", "units/03424/assessments", "units/03424/assessments/",
        "units/abc/assessments/2023-12-31", "units//assessments/2023-12-31",
        "units/03424/assessment/2023-12-31", "unit/03424/assessments/2023-12-31",
        "units/03424/assessments/2023-12-31/x", "units/03424/assessments/31-12-2023",
        "units/03424/assessments/2023-02-30", "units/03424/assessments/2023-02-29",
        "units/03424/assessments/1999-12-31"}) {
    ExpectInvalid(ParseAssessmentName("name", bad).status(), "name");
  }
  ExpectInvalid(ParseAssessmentName("name", "units/03424/assessments/2023-02-30").status(), "name",
                {"2023-02-30"});
}

TEST(ParseAgencyNameTest, AcceptsGoodNames) {
  EXPECT_EQ(ParseAgencyName("agency", "agencies/tam-duong-yte").value(), "tam-duong-yte");
  EXPECT_EQ(AgencyName("tam-duong-yte"), "agencies/tam-duong-yte");
}

TEST(ParseAgencyNameTest, RefusesBadNamesNamingTheField) {
  for (const char* bad :
       {"", "agencies/", "agency/tam-duong-yte", "tam-duong-yte", "agencies/Tam-Duong-Yte",
        "agencies/tam_duong_yte", "agencies/tam-duong-yte/x", "agencies/tam-đường"}) {
    ExpectInvalid(ParseAgencyName("agency", bad).status(), "agency",
                  {std::string("'") + bad + "'", "agencies/tam-duong-yte"});
  }
}

// ---------------------------------------------------------------------------------------------
// Page size and tokens

TEST(PageSizeTest, ZeroMeansDefaultAndBoundsAreInclusive) {
  EXPECT_EQ(PageSize(0, 100, 500).value(), 100);
  EXPECT_EQ(PageSize(1, 100, 500).value(), 1);
  EXPECT_EQ(PageSize(250, 100, 500).value(), 250);
  EXPECT_EQ(PageSize(500, 100, 500).value(), 500);
}

TEST(PageSizeTest, NegativeOrTooLargeIsInvalid) {
  ExpectInvalid(PageSize(-1, 100, 500).status(), "page_size", {"-1", "500"});
  ExpectInvalid(PageSize(501, 100, 500).status(), "page_size", {"501", "500"});
}

TEST(PageTokenTest, RoundTrips) {
  for (const std::string& raw : {std::string(""), std::string("2023-12-31|03424"), std::string("a"),
                                 std::string("\x00\xff\xfe binary \x01", 13),
                                 std::string("Xã Bản Bo"), std::string(300, '?')}) {
    const std::string token = EncodeToken(raw);
    EXPECT_EQ(token.find_first_of("+/ "), std::string::npos) << token;  // URL-safe
    absl::StatusOr<std::string> back = DecodeToken(token);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, raw);
  }
}

TEST(PageTokenTest, GarbageIsRefused) {
  for (const char* bad : {"not a token!", "@@@@", "a", "abc$", "%%%%", "ab=c"}) {
    ExpectInvalid(DecodeToken(bad).status(), "page_token", {"not a token"});
  }
}

// ---------------------------------------------------------------------------------------------
// RequestHash

pb::SetIndicatorValuesRequest SampleRequest() {
  pb::SetIndicatorValuesRequest r;
  r.set_name("units/03424/assessments/2023-12-31");
  r.set_etag("\"3\"");
  r.set_request_id("req-1");
  pb::IndicatorValue* v = r.add_values();
  v->set_indicator_code("17.1");
  v->set_number_value(95.5);
  v->set_note("Đạt");
  v = r.add_values();
  v->set_indicator_code("1.1");
  v->set_boolean_value(true);
  return r;
}

TEST(RequestHashTest, EqualRequestsHashEqual) {
  const std::string h = RequestHash(SampleRequest());
  EXPECT_EQ(h.size(), 16u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos) << h;
  EXPECT_EQ(RequestHash(SampleRequest()), h);
  pb::SetIndicatorValuesRequest copy;
  copy.CopyFrom(SampleRequest());
  EXPECT_EQ(RequestHash(copy), h);
}

TEST(RequestHashTest, DifferentRequestsHashDifferent) {
  const std::string h = RequestHash(SampleRequest());
  pb::SetIndicatorValuesRequest r = SampleRequest();
  r.set_etag("\"4\"");
  EXPECT_NE(RequestHash(r), h);
  r = SampleRequest();
  r.mutable_values(0)->set_number_value(95.6);
  EXPECT_NE(RequestHash(r), h);
  r = SampleRequest();
  r.mutable_values(1)->set_boolean_value(false);  // explicit false in a oneof is still set
  EXPECT_NE(RequestHash(r), h);
  r = SampleRequest();
  r.mutable_values(0)->set_note("Dat");
  EXPECT_NE(RequestHash(r), h);
  r = SampleRequest();
  r.mutable_values()->SwapElements(0, 1);
  EXPECT_NE(RequestHash(r), h);
  r = SampleRequest();
  r.mutable_values(0)->set_count_value(95);
  EXPECT_NE(RequestHash(r), h);
  EXPECT_NE(RequestHash(pb::SetIndicatorValuesRequest()), h);
}

// ---------------------------------------------------------------------------------------------
// ActorFrom

TEST(ActorFromTest, StripsTheAgencyPrefix) {
  Caller agency;
  agency.principal = "yte-system";
  agency.agency = "agencies/tam-duong-yte";
  const Actor a = ActorFrom(agency);
  EXPECT_EQ(a.principal, "yte-system");
  EXPECT_EQ(a.agency_id, "tam-duong-yte");

  Caller commune;
  commune.principal = "can-bo-xa";
  const Actor c = ActorFrom(commune);
  EXPECT_EQ(c.principal, "can-bo-xa");
  EXPECT_EQ(c.agency_id, "");

  EXPECT_EQ(ActorFrom(Caller{}).principal, "anonymous");
}

// ---------------------------------------------------------------------------------------------
// ToProto(Assessment)

Indicator MakeIndicator(std::string code, std::string criterion, Measure measure) {
  Indicator i;
  i.code = std::move(code);
  i.criterion_code = std::move(criterion);
  i.measure = measure;
  return i;
}

CriteriaSet SmallSet() {
  CriteriaSet set;
  set.id = "lai-chau-2022";
  set.first_year = 2022;
  set.last_year = 2025;
  set.criteria = {{"1", "Quy hoạch", "Planning", 1},
                  {"17", "Môi trường và an toàn thực phẩm", "Environment and food safety", 4}};
  set.indicators = {MakeIndicator("1.1", "1", Measure::kBoolean),
                    MakeIndicator("1.2", "1", Measure::kPercentAtLeast),
                    MakeIndicator("17.1", "17", Measure::kPercentAtLeast),
                    MakeIndicator("17.2", "17", Measure::kCountAtLeast)};
  set.indicators[1].unit = "%";
  set.indicators[1].thresholds = {{0, 700000, ThresholdStatus::kOfficial, "", "", std::nullopt}};
  set.indicators[2].thresholds = {{0, 950000, ThresholdStatus::kDemo, "", "", std::nullopt}};
  return set;
}

const absl::Time kT = absl::FromUnixSeconds(1703980800) + absl::Microseconds(250);

IndicatorValue MakeValue(std::string code, Value value, std::string agency = "") {
  IndicatorValue v;
  v.indicator_code = std::move(code);
  v.value = value;
  v.note = "ghi chú " + v.indicator_code;
  v.evidence = "Báo cáo số 12/BC-UBND";
  v.source = agency.empty() ? ValueSource::kCommune : ValueSource::kAgency;
  v.supplied_by = agency.empty() ? "can-bo-xa" : agency + "-system";
  v.agency_id = agency;
  v.update_time = kT;
  return v;
}

Assessment SampleAssessment() {
  Assessment a;
  a.id = 9;
  a.unit_code = "03424";
  a.as_of = absl::CivilDay(2023, 12, 31);
  a.criteria_set_id = "lai-chau-2022";
  a.state = AssessmentState::kSubmitted;
  a.version = 6;
  a.created_by = "can-bo-xa";
  a.create_time = absl::FromUnixSeconds(1700000000);
  a.update_time = kT;
  a.submitted_by = "chu-tich-xa";
  a.submit_time = kT;
  // Not in catalog order.
  a.values = {MakeValue("17.2", Value::Count(3), "yte"), MakeValue("1.2", Value::Number(955000)),
              MakeValue("1.1", Value::Boolean(true))};
  Review r;
  r.criterion_code = "17";
  r.agency_id = "yte";
  r.verdict = Verdict::kDisputed;
  r.reason = "Chưa đủ hồ sơ";
  r.reviewer = "yte-officer";
  r.time = kT;
  a.reviews = {r};
  a.history = {{"created", "can-bo-xa", "", a.create_time, ""},
               {"values_set", "yte-system", "yte", kT, "indicators 17.2"}};
  return a;
}

std::vector<std::string> Codes(const pb::Assessment& a) {
  std::vector<std::string> out;
  for (const auto& v : a.values()) {
    out.push_back(v.indicator_code());
  }
  return out;
}

TEST(AssessmentToProtoTest, ValuesInCatalogOrder) {
  const CriteriaSet set = SmallSet();
  pb::Assessment out;
  ToProto(SampleAssessment(), &set, true, &out);
  EXPECT_THAT(Codes(out), ElementsAre("1.1", "1.2", "17.2"));
}

TEST(AssessmentToProtoTest, WithoutACatalogValuesKeepStoredOrder) {
  pb::Assessment out;
  ToProto(SampleAssessment(), nullptr, true, &out);
  EXPECT_THAT(Codes(out), ElementsAre("17.2", "1.2", "1.1"));
}

TEST(AssessmentToProtoTest, Fields) {
  const CriteriaSet set = SmallSet();
  pb::Assessment out;
  ToProto(SampleAssessment(), &set, true, &out);
  EXPECT_EQ(out.name(), "units/03424/assessments/2023-12-31");
  EXPECT_EQ(out.unit(), "units/03424");
  EXPECT_EQ(out.as_of_date(), "2023-12-31");
  EXPECT_EQ(out.criteria_set(), "criteriaSets/lai-chau-2022");
  EXPECT_EQ(out.state(), pb::ASSESSMENT_STATE_SUBMITTED);
  EXPECT_EQ(out.etag(), "\"6\"");
  EXPECT_EQ(out.created_by(), "can-bo-xa");
  EXPECT_EQ(out.create_time().seconds(), 1700000000);
  EXPECT_EQ(out.update_time().seconds(), 1703980800);
  EXPECT_EQ(out.update_time().nanos(), 250000);
  EXPECT_EQ(out.submitted_by(), "chu-tich-xa");
  EXPECT_TRUE(out.has_submit_time());

  ASSERT_EQ(out.values_size(), 3);
  const pb::IndicatorValue& b = out.values(0);
  EXPECT_EQ(b.value_case(), pb::IndicatorValue::kBooleanValue);
  EXPECT_TRUE(b.boolean_value());
  EXPECT_EQ(b.source(), pb::VALUE_SOURCE_COMMUNE);
  EXPECT_EQ(b.supplied_by(), "can-bo-xa");
  EXPECT_EQ(b.agency(), "");
  EXPECT_EQ(b.note(), "ghi chú 1.1");
  EXPECT_EQ(b.evidence(), "Báo cáo số 12/BC-UBND");
  const pb::IndicatorValue& n = out.values(1);
  EXPECT_EQ(n.value_case(), pb::IndicatorValue::kNumberValue);
  EXPECT_DOUBLE_EQ(n.number_value(), 95.5);
  const pb::IndicatorValue& c = out.values(2);
  EXPECT_EQ(c.value_case(), pb::IndicatorValue::kCountValue);
  EXPECT_EQ(c.count_value(), 3);
  EXPECT_EQ(c.source(), pb::VALUE_SOURCE_AGENCY);
  EXPECT_EQ(c.agency(), "agencies/yte");
  EXPECT_EQ(c.supplied_by(), "yte-system");

  ASSERT_EQ(out.reviews_size(), 1);
  EXPECT_EQ(out.reviews(0).criterion_code(), "17");
  EXPECT_EQ(out.reviews(0).agency(), "agencies/yte");
  EXPECT_EQ(out.reviews(0).verdict(), pb::REVIEW_VERDICT_DISPUTED);
  EXPECT_EQ(out.reviews(0).reason(), "Chưa đủ hồ sơ");
  EXPECT_EQ(out.reviews(0).reviewer(), "yte-officer");

  ASSERT_EQ(out.history_size(), 2);
  EXPECT_EQ(out.history(0).action(), "created");
  EXPECT_EQ(out.history(0).agency(), "");
  EXPECT_EQ(out.history(1).agency(), "agencies/yte");
  EXPECT_EQ(out.history(1).detail(), "indicators 17.2");
}

TEST(AssessmentToProtoTest, WithoutContentLeavesOutValuesReviewsAndHistory) {
  const CriteriaSet set = SmallSet();
  pb::Assessment out;
  Assessment a = SampleAssessment();
  ToProto(a, &set, false, &out);
  EXPECT_EQ(out.name(), "units/03424/assessments/2023-12-31");
  EXPECT_EQ(out.etag(), "\"6\"");
  EXPECT_THAT(out.values(), IsEmpty());
  EXPECT_THAT(out.reviews(), IsEmpty());
  EXPECT_THAT(out.history(), IsEmpty());
}

// A draft has no submit time: the field is left unset, not set to 1970-01-01T00:00:00Z.
TEST(AssessmentToProtoTest, DraftHasNoSubmitTime) {
  Assessment a = SampleAssessment();
  a.state = AssessmentState::kDraft;
  a.submitted_by.clear();
  a.submit_time.reset();
  for (bool with_content : {false, true}) {
    pb::Assessment out;
    ToProto(a, nullptr, with_content, &out);
    EXPECT_EQ(out.state(), pb::ASSESSMENT_STATE_DRAFT);
    EXPECT_EQ(out.submitted_by(), "");
    EXPECT_FALSE(out.has_submit_time()) << out.submit_time().DebugString();
  }
}

// The same for an indicator never updated, and for a threshold without an update time.
TEST(IndicatorToProtoTest, MissingUpdateTimesStayUnset) {
  Indicator i = MakeIndicator("17.1", "17", Measure::kPercentAtLeast);
  i.thresholds = {{0, 950000, ThresholdStatus::kOfficial, "", "", std::nullopt}};
  pb::Indicator out;
  ToProto(i, "lai-chau-2022", &out);
  EXPECT_EQ(out.name(), "criteriaSets/lai-chau-2022/indicators/17.1");
  ASSERT_EQ(out.thresholds_size(), 1);
  EXPECT_DOUBLE_EQ(out.thresholds(0).value(), 95.0);
  EXPECT_FALSE(out.has_update_time());
  EXPECT_FALSE(out.thresholds(0).has_update_time());
}

// ---------------------------------------------------------------------------------------------
// ToProto(CommuneStanding)

TEST(CommuneStatusToProtoTest, HandBuiltStanding) {
  auto set = std::make_shared<const CriteriaSet>(SmallSet());
  CommuneStanding s;
  s.unit.code = "03424";
  s.unit.display_name = "Xã Bản Bo";
  s.unit.level = UnitLevel::kCommune;
  s.assessment = SampleAssessment();
  s.set = set;
  const IndicatorValue* v12 = s.assessment.FindValue("1.2");
  const IndicatorValue* v11 = s.assessment.FindValue("1.1");
  ASSERT_NE(v12, nullptr);
  ASSERT_NE(v11, nullptr);

  Standing& st = s.standing;
  st.indicators = {
      {&set->indicators[0], v11, IndicatorResult::kMet, {std::nullopt, ThresholdStatus::kImplicit}},
      {&set->indicators[1], v12, IndicatorResult::kMet, {700000, ThresholdStatus::kOfficial}},
      {&set->indicators[2], nullptr, IndicatorResult::kNoData, {950000, ThresholdStatus::kDemo}},
      {&set->indicators[3],
       nullptr,
       IndicatorResult::kThresholdNotSet,
       {std::nullopt, ThresholdStatus::kNotSet}},
  };
  st.criteria = {
      {&set->criteria[0], CriterionResult::kMet, 2, 2, ReviewState::kNoOwner},
      {&set->criteria[1], CriterionResult::kNotMet, 0, 2, ReviewState::kDisputed},
  };
  st.criteria_met = 1;
  st.criteria_total = 2;
  st.standard_reached = false;
  st.uses_demo_thresholds = true;

  pb::CommuneStatus out;
  ToProto(s, &out);
  EXPECT_EQ(out.unit(), "units/03424");
  EXPECT_EQ(out.unit_display_name(), "Xã Bản Bo");
  EXPECT_EQ(out.assessment(), "units/03424/assessments/2023-12-31");
  EXPECT_EQ(out.as_of_date(), "2023-12-31");
  EXPECT_EQ(out.state(), pb::ASSESSMENT_STATE_SUBMITTED);
  EXPECT_EQ(out.criteria_set(), "criteriaSets/lai-chau-2022");
  EXPECT_EQ(out.criteria_met(), 1);
  EXPECT_EQ(out.criteria_total(), 2);
  EXPECT_FALSE(out.ntm_standard_reached());
  EXPECT_TRUE(out.uses_demo_thresholds());

  ASSERT_EQ(out.criteria_size(), 2);
  EXPECT_EQ(out.criteria(0).criterion_code(), "1");
  EXPECT_EQ(out.criteria(0).title_vi(), "Quy hoạch");
  EXPECT_EQ(out.criteria(0).group_code(), 1);
  EXPECT_EQ(out.criteria(0).result(), pb::CRITERION_RESULT_MET);
  EXPECT_EQ(out.criteria(0).indicators_met(), 2);
  EXPECT_EQ(out.criteria(0).indicators_total(), 2);
  EXPECT_EQ(out.criteria(0).review_state(), pb::REVIEW_STATE_NO_OWNER);
  EXPECT_EQ(out.criteria(1).criterion_code(), "17");
  EXPECT_EQ(out.criteria(1).title_vi(), "Môi trường và an toàn thực phẩm");
  EXPECT_EQ(out.criteria(1).group_code(), 4);
  EXPECT_EQ(out.criteria(1).result(), pb::CRITERION_RESULT_NOT_MET);
  EXPECT_EQ(out.criteria(1).indicators_met(), 0);
  EXPECT_EQ(out.criteria(1).review_state(), pb::REVIEW_STATE_DISPUTED);

  ASSERT_EQ(out.indicators_size(), 4);
  const pb::IndicatorStatus& i11 = out.indicators(0);
  EXPECT_EQ(i11.indicator_code(), "1.1");
  EXPECT_EQ(i11.criterion_code(), "1");
  EXPECT_EQ(i11.measure(), pb::MEASURE_BOOLEAN);
  EXPECT_EQ(i11.result(), pb::INDICATOR_RESULT_MET);
  EXPECT_TRUE(i11.has_value());
  EXPECT_TRUE(i11.value().boolean_value());
  EXPECT_FALSE(i11.has_threshold());
  EXPECT_EQ(i11.threshold_status(), pb::THRESHOLD_STATUS_IMPLICIT);

  const pb::IndicatorStatus& i12 = out.indicators(1);
  EXPECT_EQ(i12.indicator_code(), "1.2");
  EXPECT_EQ(i12.measure(), pb::MEASURE_PERCENT_AT_LEAST);
  EXPECT_EQ(i12.unit(), "%");
  EXPECT_DOUBLE_EQ(i12.value().number_value(), 95.5);
  ASSERT_TRUE(i12.has_threshold());
  EXPECT_DOUBLE_EQ(i12.threshold(), 70.0);
  EXPECT_EQ(i12.threshold_status(), pb::THRESHOLD_STATUS_OFFICIAL);

  const pb::IndicatorStatus& i171 = out.indicators(2);
  EXPECT_EQ(i171.indicator_code(), "17.1");
  EXPECT_EQ(i171.result(), pb::INDICATOR_RESULT_NO_DATA);
  EXPECT_FALSE(i171.has_value());
  ASSERT_TRUE(i171.has_threshold());
  EXPECT_DOUBLE_EQ(i171.threshold(), 95.0);
  EXPECT_EQ(i171.threshold_status(), pb::THRESHOLD_STATUS_DEMO);

  const pb::IndicatorStatus& i172 = out.indicators(3);
  EXPECT_EQ(i172.measure(), pb::MEASURE_COUNT_AT_LEAST);
  EXPECT_EQ(i172.result(), pb::INDICATOR_RESULT_THRESHOLD_NOT_SET);
  EXPECT_FALSE(i172.has_threshold());
  EXPECT_EQ(i172.threshold_status(), pb::THRESHOLD_STATUS_NOT_SET);
}

TEST(CommuneStatusToProtoTest, StandardReachedIsCarried) {
  auto set = std::make_shared<const CriteriaSet>(SmallSet());
  CommuneStanding s;
  s.unit.code = "03424";
  s.assessment = SampleAssessment();
  s.set = set;
  s.standing.criteria_met = 2;
  s.standing.criteria_total = 2;
  s.standing.standard_reached = true;
  pb::CommuneStatus out;
  ToProto(s, &out);
  EXPECT_TRUE(out.ntm_standard_reached());
  EXPECT_FALSE(out.uses_demo_thresholds());
  EXPECT_EQ(out.criteria_met(), 2);
}

}  // namespace
}  // namespace ntm::assessment::api
