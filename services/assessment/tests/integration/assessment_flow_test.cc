// The life of one Tam Đường commune's assessment, end to end over gRPC against MariaDB.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/assessment/tests/test_env.h"

namespace ntm::assessment::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

constexpr char kBanBo[] = "units/03424";
constexpr char kSet[] = "criteriaSets/lai-chau-2022";

class AssessmentFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ServiceEnv::Start();
    ASSERT_NE(env_, nullptr);
  }

  v1::Assessment Create(const std::string& unit, const std::string& date) {
    v1::CreateAssessmentRequest req;
    req.set_parent(unit);
    req.set_as_of_date(date);
    v1::CreateAssessmentResponse resp;
    grpc::Status s = env_->assessments().CreateAssessment(
        ServiceEnv::Context("can-bo-ban-bo").get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.assessment();
  }

  // A value that meets each indicator of the edition under the demo thresholds.
  static v1::IndicatorValue Passing(const v1::Indicator& i) {
    v1::IndicatorValue v;
    v.set_indicator_code(i.code());
    switch (i.measure()) {
      case v1::MEASURE_BOOLEAN:
        v.set_boolean_value(true);
        break;
      case v1::MEASURE_NONE_ALLOWED:
        v.set_count_value(0);
        break;
      case v1::MEASURE_PERCENT_AT_MOST:
        v.set_number_value(0);
        break;
      case v1::MEASURE_PERCENT_AT_LEAST:
        v.set_number_value(100);
        break;
      default:
        v.set_number_value(1000);
    }
    v.set_note("Số liệu của xã");
    return v;
  }

  std::unique_ptr<ServiceEnv> env_;
};

TEST_F(AssessmentFlowTest, CatalogHasNineteenCriteriaAndFiftySevenIndicators) {
  v1::GetCriteriaSetRequest req;
  req.set_name(kSet);
  v1::GetCriteriaSetResponse resp;
  ASSERT_TRUE(env_->catalog().GetCriteriaSet(ServiceEnv::Context("x").get(), req, &resp).ok());
  const v1::CriteriaSet& set = resp.criteria_set();
  EXPECT_EQ(set.criterion_count(), 19);
  EXPECT_EQ(set.indicator_count(), 57);
  EXPECT_EQ(set.criteria_size(), 19);
  int indicators = 0;
  for (const auto& c : set.criteria()) {
    indicators += c.indicators_size();
  }
  EXPECT_EQ(indicators, 57);
  EXPECT_EQ(set.groups_size(), 5);
  EXPECT_EQ(set.criteria(16).title_vi(), "Môi trường và an toàn thực phẩm");
  // The demo overlay fills every unknown threshold, flagged as demo.
  EXPECT_THAT(set.unverified_threshold_codes(), Contains("17.11"));
  EXPECT_TRUE(set.missing_threshold_codes().empty());
}

TEST_F(AssessmentFlowTest, CommuneAssessesSubmitsAndOwnersReview) {
  v1::Assessment a = Create(kBanBo, "2023-12-31");
  ASSERT_EQ(a.name(), "units/03424/assessments/2023-12-31");
  EXPECT_EQ(a.state(), v1::ASSESSMENT_STATE_DRAFT);

  v1::GetCriteriaSetRequest sreq;
  sreq.set_name(kSet);
  v1::GetCriteriaSetResponse set;
  ASSERT_TRUE(env_->catalog().GetCriteriaSet(ServiceEnv::Context("x").get(), sreq, &set).ok());

  v1::SetIndicatorValuesRequest vreq;
  vreq.set_name(a.name());
  vreq.set_etag(a.etag());
  for (const auto& c : set.criteria_set().criteria()) {
    for (const auto& i : c.indicators()) {
      *vreq.add_values() = Passing(i);
    }
  }
  vreq.mutable_values(0)->set_boolean_value(false);  // 1.1 not met
  v1::SetIndicatorValuesResponse vresp;
  grpc::Status s = env_->assessments().SetIndicatorValues(
      ServiceEnv::Context("can-bo-ban-bo").get(), vreq, &vresp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(vresp.assessment().values_size(), 57);
  // Writes answer without the history, so responses do not grow with every change...
  EXPECT_EQ(vresp.assessment().history_size(), 0);
  // ...which GetAssessment returns, oldest first.
  v1::GetAssessmentRequest greq;
  greq.set_name(a.name());
  v1::GetAssessmentResponse gresp;
  ASSERT_TRUE(env_->assessments().GetAssessment(ServiceEnv::Context("x").get(), greq, &gresp).ok());
  ASSERT_EQ(gresp.assessment().history_size(), 2);
  EXPECT_EQ(gresp.assessment().history(0).action(), "created");
  EXPECT_EQ(gresp.assessment().history(1).action(), "values_set");
  EXPECT_EQ(gresp.assessment().history(1).actor(), "can-bo-ban-bo");
  EXPECT_EQ(env_->QueryInt("SELECT COUNT(*) FROM assessment_values"), 57);
  EXPECT_EQ(env_->QueryString("SELECT note FROM assessment_values WHERE indicator_code = '2.1'"),
            "Số liệu của xã");

  v1::GetCommuneStatusRequest streq;
  streq.set_unit(kBanBo);
  v1::GetCommuneStatusResponse st;
  ASSERT_TRUE(
      env_->assessments().GetCommuneStatus(ServiceEnv::Context("x").get(), streq, &st).ok());
  EXPECT_EQ(st.status().criteria_total(), 19);
  EXPECT_EQ(st.status().criteria_met(), 18);
  EXPECT_FALSE(st.status().ntm_standard_reached());
  EXPECT_TRUE(st.status().uses_demo_thresholds());
  EXPECT_EQ(st.status().criteria(0).result(), v1::CRITERION_RESULT_NOT_MET);
  EXPECT_EQ(st.status().unit_display_name(), "Xã Bản Bo");

  v1::SubmitAssessmentRequest sub;
  sub.set_name(a.name());
  sub.set_etag(vresp.assessment().etag());
  v1::SubmitAssessmentResponse subr;
  ASSERT_TRUE(env_->assessments()
                  .SubmitAssessment(ServiceEnv::Context("can-bo-ban-bo").get(), sub, &subr)
                  .ok());
  EXPECT_EQ(subr.assessment().state(), v1::ASSESSMENT_STATE_SUBMITTED);

  // The health office owns criterion 15 (all but 15.1) and may review it...
  v1::ReviewCriterionRequest rev;
  rev.set_name(a.name());
  rev.set_criterion_code("15");
  rev.set_verdict(v1::REVIEW_VERDICT_CONFIRMED);
  rev.set_etag(subr.assessment().etag());
  v1::ReviewCriterionResponse revr;
  s = env_->assessments().ReviewCriterion(
      ServiceEnv::Context("y-te-1", "agencies/tam-duong-yte").get(), rev, &revr);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(revr.assessment().reviews_size(), 1);
  EXPECT_EQ(revr.assessment().reviews(0).agency(), "agencies/tam-duong-yte");

  // ...but not criterion 17, which the environment office owns.
  const std::string before = env_->Snapshot();
  rev.set_criterion_code("17");
  rev.set_etag(revr.assessment().etag());
  s = env_->assessments().ReviewCriterion(
      ServiceEnv::Context("y-te-1", "agencies/tam-duong-yte").get(), rev, &revr);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("tam-duong-yte"));
  EXPECT_EQ(env_->Snapshot(), before);

  // Criterion 15 stays pending until social insurance (owner of 15.1) confirms too.
  ASSERT_TRUE(
      env_->assessments().GetCommuneStatus(ServiceEnv::Context("x").get(), streq, &st).ok());
  EXPECT_EQ(st.status().criteria(14).review_state(), v1::REVIEW_STATE_PENDING);

  v1::GetDistrictMatrixRequest mreq;
  mreq.set_unit("units/106");
  mreq.set_as_of_date("2023-12-31");
  v1::GetDistrictMatrixResponse m;
  ASSERT_TRUE(env_->assessments().GetDistrictMatrix(ServiceEnv::Context("x").get(), mreq, &m).ok());
  EXPECT_EQ(m.rows_size(), 13);
  EXPECT_EQ(m.criterion_codes_size(), 19);
  int assessed = 0;
  for (const auto& row : m.rows()) {
    if (row.unit() == kBanBo) {
      ++assessed;
      EXPECT_EQ(row.criteria_met(), 18);
      EXPECT_EQ(row.cells(0), v1::CRITERION_RESULT_NOT_MET);
    } else {
      EXPECT_TRUE(row.assessment().empty());
    }
  }
  EXPECT_EQ(assessed, 1);
  ASSERT_GT(m.gaps_size(), 0);
  EXPECT_EQ(m.gaps(0).indicator_code(), "1.1");
  EXPECT_THAT(m.gaps(0).units_not_met(), Contains(kBanBo));
}

}  // namespace
}  // namespace ntm::assessment::testing
