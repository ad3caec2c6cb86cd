// Steering-committee agencies: each pushes and reviews only what it owns in the district, and a
// criterion's review state combines the verdicts of all its owners.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "services/assessment/tests/integration/integration_helpers.h"
#include "services/assessment/tests/test_env.h"

namespace ntm::assessment::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr char kBhxhSystem[] = "bhxh-system";

class AgencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ServiceEnv::Start();
    ASSERT_NE(env_, nullptr);
  }

  // A submitted assessment of Xã Bản Bo with every indicator given.
  v1::Assessment SubmittedBanBo() {
    v1::Assessment a = MustCreate(*env_, kBanBo);
    std::vector<v1::IndicatorValue> values;
    const v1::CriteriaSet set = GetSet(*env_);
    for (const auto& c : set.criteria()) {
      for (const auto& i : c.indicators()) {
        values.push_back(PassingValue(i));
      }
    }
    v1::Assessment filled;
    EXPECT_THAT(SetValues(*env_, a.name(), a.etag(), values, &filled), GrpcOk());
    v1::Assessment submitted;
    EXPECT_THAT(Submit(*env_, a.name(), filled.etag(), &submitted), GrpcOk());
    return submitted;
  }

  int64_t Count(const std::string& sql) { return env_->QueryInt(sql); }

  std::unique_ptr<ServiceEnv> env_;
};

TEST_F(AgencyTest, SocialInsurancePushesHealthInsuranceCoverageForCommunes) {
  v1::Assessment ban_bo = MustCreate(*env_, kBanBo);
  v1::Assessment ban_hon = MustCreate(*env_, kBanHon);

  v1::IndicatorValue coverage = NumberValue("15.1", 92.5);
  coverage.set_note("Số liệu BHXH huyện");
  coverage.set_evidence("Báo cáo BHXH số 12/BC-BHXH");
  v1::Assessment after;
  ASSERT_THAT(
      SetValues(*env_, ban_bo.name(), ban_bo.etag(), {coverage}, &after, kBhxhSystem, kBhxh),
      GrpcOk());
  ASSERT_EQ(after.values_size(), 1);
  const v1::IndicatorValue& v = after.values(0);
  EXPECT_EQ(v.indicator_code(), "15.1");
  EXPECT_DOUBLE_EQ(v.number_value(), 92.5);
  EXPECT_EQ(v.source(), v1::VALUE_SOURCE_AGENCY);
  EXPECT_EQ(v.agency(), kBhxh);
  EXPECT_EQ(v.supplied_by(), kBhxhSystem);
  EXPECT_EQ(v.note(), "Số liệu BHXH huyện");
  EXPECT_EQ(v.evidence(), "Báo cáo BHXH số 12/BC-BHXH");

  const int64_t id = AssessmentId(*env_, "03424", kAsOf);
  const std::string where =
      " FROM assessment_values WHERE indicator_code = '15.1' AND assessment_id = " +
      std::to_string(id);
  EXPECT_EQ(env_->QueryString("SELECT agency_id" + where), "tam-duong-bhxh");
  EXPECT_EQ(env_->QueryString("SELECT supplied_by" + where), kBhxhSystem);
  EXPECT_EQ(env_->QueryString("SELECT number_value" + where), "92.5000");
  EXPECT_EQ(env_->QueryString("SELECT agency_id FROM assessment_events WHERE action = "
                              "'values_set' AND assessment_id = " +
                              std::to_string(id)),
            "tam-duong-bhxh");

  // Against the demo threshold (90 %) the commune meets 15.1; the value is shown as the agency's.
  const v1::IndicatorStatus st = IndicatorIn(MustGetStatus(*env_, kBanBo), "15.1");
  EXPECT_EQ(st.result(), v1::INDICATOR_RESULT_MET);
  EXPECT_EQ(st.value().source(), v1::VALUE_SOURCE_AGENCY);
  EXPECT_EQ(st.value().agency(), kBhxh);

  // The same system pushes for another commune of the district.
  ASSERT_THAT(SetValues(*env_, ban_hon.name(), ban_hon.etag(), {NumberValue("15.1", 80)}, &after,
                        kBhxhSystem, kBhxh),
              GrpcOk());
  EXPECT_EQ(IndicatorIn(MustGetStatus(*env_, kBanHon), "15.1").result(),
            v1::INDICATOR_RESULT_NOT_MET);

  // A commune officer overwriting the value makes it the commune's again.
  ASSERT_THAT(SetValues(*env_, ban_hon.name(), after.etag(), {NumberValue("15.1", 91)}, &after),
              GrpcOk());
  EXPECT_EQ(after.values(0).source(), v1::VALUE_SOURCE_COMMUNE);
  EXPECT_EQ(after.values(0).agency(), "");
}

TEST_F(AgencyTest, AgencyPushesNothingItDoesNotOwn) {
  v1::Assessment a = MustCreate(*env_, kBanBo);
  const std::string before = env_->Snapshot();

  // 15.2 belongs to the health office, not to social insurance.
  EXPECT_THAT(
      SetValues(*env_, a.name(), a.etag(), {BoolValue("15.2", true)}, nullptr, kBhxhSystem, kBhxh),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED,
                   AllOf(HasSubstr("15.2"), HasSubstr("tam-duong-bhxh"))));
  EXPECT_TRUE(SameRows(before, env_->Snapshot()));

  // One value it owns and one it does not: nothing is stored, not even the owned one.
  EXPECT_THAT(
      SetValues(*env_, a.name(), a.etag(), {NumberValue("15.1", 95), NumberValue("15.3", 10)},
                nullptr, kBhxhSystem, kBhxh),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED,
                   AllOf(HasSubstr("values[1]"), HasSubstr("15.3"))));
  EXPECT_TRUE(SameRows(before, env_->Snapshot()));

  // An agency nobody knows owns nothing.
  EXPECT_THAT(SetValues(*env_, a.name(), a.etag(), {NumberValue("15.1", 95)}, nullptr,
                        "ghost-system", "agencies/khong-ton-tai"),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED, HasSubstr("khong-ton-tai")));
  // Nor does the province office own anything in the district's table.
  EXPECT_THAT(SetValues(*env_, a.name(), a.etag(), {NumberValue("15.1", 95)}, nullptr, "vpdp-1",
                        kProvinceOffice),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED, HasSubstr("lai-chau-vpdp")));
  // The environment office owns 17 but not 17.1, which the standing office keeps.
  EXPECT_THAT(
      SetValues(*env_, a.name(), a.etag(), {NumberValue("17.1", 99)}, nullptr, "tnmt-1", kTnmt),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED, HasSubstr("17.1")));
  EXPECT_TRUE(SameRows(before, env_->Snapshot()));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM assessment_values"), 0);
}

TEST_F(AgencyTest, CriterionFifteenIsConfirmedOnlyWhenBothOwnersConfirm) {
  v1::Assessment a = SubmittedBanBo();
  EXPECT_EQ(CriterionIn(MustGetStatus(*env_, kBanBo), "15").review_state(),
            v1::REVIEW_STATE_PENDING);

  // Social insurance owns only 15.1, and that is enough to review criterion 15.
  v1::Assessment after;
  ASSERT_THAT(Review(*env_, a.name(), a.etag(), "15", v1::REVIEW_VERDICT_CONFIRMED, "", kBhxhSystem,
                     kBhxh, &after),
              GrpcOk());
  ASSERT_EQ(after.reviews_size(), 1);
  EXPECT_EQ(after.reviews(0).agency(), kBhxh);
  EXPECT_EQ(after.reviews(0).criterion_code(), "15");
  EXPECT_EQ(after.reviews(0).reviewer(), kBhxhSystem);
  EXPECT_EQ(CriterionIn(MustGetStatus(*env_, kBanBo), "15").review_state(),
            v1::REVIEW_STATE_PENDING);

  // The environment office owns no indicator of 15.
  const std::string before = env_->Snapshot();
  EXPECT_THAT(Review(*env_, a.name(), after.etag(), "15", v1::REVIEW_VERDICT_CONFIRMED, "",
                     "tnmt-1", kTnmt, nullptr),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED, HasSubstr("tam-duong-tnmt")));
  EXPECT_TRUE(SameRows(before, env_->Snapshot()));

  ASSERT_THAT(Review(*env_, a.name(), after.etag(), "15", v1::REVIEW_VERDICT_CONFIRMED, "",
                     "y-te-1", kYte, &after),
              GrpcOk());
  EXPECT_EQ(after.reviews_size(), 2);
  const v1::CommuneStatus st = MustGetStatus(*env_, kBanBo);
  EXPECT_EQ(CriterionIn(st, "15").review_state(), v1::REVIEW_STATE_CONFIRMED);
  // Reviews of 15 say nothing about the other criteria.
  EXPECT_EQ(CriterionIn(st, "17").review_state(), v1::REVIEW_STATE_PENDING);
  EXPECT_EQ(CriterionIn(st, "14").review_state(), v1::REVIEW_STATE_PENDING);
}

TEST_F(AgencyTest, OneDisputeDisputesTheCriterionAndALaterReviewReplacesIt) {
  v1::Assessment a = SubmittedBanBo();
  const int64_t id = AssessmentId(*env_, "03424", kAsOf);
  const std::string reason = "Tỷ lệ tham gia BHYT theo số liệu BHXH chỉ đạt 85,2%";

  v1::Assessment after;
  ASSERT_THAT(Review(*env_, a.name(), a.etag(), "15", v1::REVIEW_VERDICT_CONFIRMED, "", "y-te-1",
                     kYte, &after),
              GrpcOk());
  env_->clock().Advance(absl::Minutes(5));
  ASSERT_THAT(Review(*env_, a.name(), after.etag(), "15", v1::REVIEW_VERDICT_DISPUTED, reason,
                     kBhxhSystem, kBhxh, &after),
              GrpcOk());
  EXPECT_EQ(CriterionIn(MustGetStatus(*env_, kBanBo), "15").review_state(),
            v1::REVIEW_STATE_DISPUTED);
  bool found = false;
  const v1::Assessment disputed = MustGet(*env_, a.name());
  for (const auto& r : disputed.reviews()) {
    if (r.agency() == kBhxh) {
      found = true;
      EXPECT_EQ(r.verdict(), v1::REVIEW_VERDICT_DISPUTED);
      EXPECT_EQ(r.reason(), reason);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(env_->QueryString("SELECT reason FROM criterion_reviews WHERE agency_id = "
                              "'tam-duong-bhxh' AND assessment_id = " +
                              std::to_string(id)),
            reason);

  // Social insurance checks again and confirms: its new review replaces the dispute.
  env_->clock().Advance(absl::Minutes(5));
  ASSERT_THAT(Review(*env_, a.name(), after.etag(), "15", v1::REVIEW_VERDICT_CONFIRMED, "",
                     kBhxhSystem, kBhxh, &after),
              GrpcOk());
  EXPECT_EQ(after.reviews_size(), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM criterion_reviews WHERE criterion_code = '15' AND "
                  "agency_id = 'tam-duong-bhxh' AND assessment_id = " +
                  std::to_string(id)),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM assessment_events WHERE action = 'reviewed' AND "
                  "agency_id = 'tam-duong-bhxh' AND assessment_id = " +
                  std::to_string(id)),
            2);
  EXPECT_EQ(CriterionIn(MustGetStatus(*env_, kBanBo), "15").review_state(),
            v1::REVIEW_STATE_CONFIRMED);
  // The history keeps the dispute and its reason.
  int reviewed = 0;
  bool dispute_kept = false;
  const v1::Assessment reviewed_twice = MustGet(*env_, a.name());
  for (const auto& e : reviewed_twice.history()) {
    if (e.action() == "reviewed" && e.agency() == kBhxh) {
      ++reviewed;
      dispute_kept = dispute_kept || e.detail().find(reason) != std::string::npos;
    }
  }
  EXPECT_EQ(reviewed, 2);
  EXPECT_TRUE(dispute_kept);

  // The health office now disputes: one dispute is enough.
  ASSERT_THAT(Review(*env_, a.name(), after.etag(), "15", v1::REVIEW_VERDICT_DISPUTED,
                     "Trạm y tế chưa đạt chuẩn", "y-te-1", kYte, &after),
              GrpcOk());
  EXPECT_EQ(CriterionIn(MustGetStatus(*env_, kBanBo), "15").review_state(),
            v1::REVIEW_STATE_DISPUTED);
}

TEST_F(AgencyTest, CriterionNineteenIsSplitBetweenMilitaryAndPolice) {
  // The ownership table: no default owner for 19, one indicator each.
  v1::ListOwnershipsRequest lreq;
  lreq.set_unit(kTamDuong);
  lreq.set_criteria_set(kSet);
  v1::ListOwnershipsResponse owners;
  ASSERT_THAT(env_->directory().ListOwnerships(ServiceEnv::Context("reader").get(), lreq, &owners),
              GrpcOk());
  for (const auto& assignment : owners.assignments()) {
    if (assignment.criterion_code() == "19") {
      EXPECT_FALSE(assignment.indicator_code().empty()) << "19 has a default owner";
    }
  }
  std::map<std::string, std::string> owner_of;
  for (const auto& o : owners.indicator_owners()) {
    owner_of[o.indicator_code()] = o.agency();
  }
  EXPECT_EQ(owner_of["19.1"], kChqs);
  EXPECT_EQ(owner_of["19.2"], kCongan);

  v1::Assessment a = MustCreate(*env_, kBanBo);
  v1::Assessment after;
  const std::string before = env_->Snapshot();
  EXPECT_THAT(
      SetValues(*env_, a.name(), a.etag(), {BoolValue("19.2", true)}, nullptr, "chqs-1", kChqs),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED, HasSubstr("19.2")));
  EXPECT_THAT(
      SetValues(*env_, a.name(), a.etag(), {BoolValue("19.1", true)}, nullptr, "ca-1", kCongan),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED, HasSubstr("19.1")));
  EXPECT_TRUE(SameRows(before, env_->Snapshot()));
  ASSERT_THAT(
      SetValues(*env_, a.name(), a.etag(), {BoolValue("19.1", true)}, &after, "chqs-1", kChqs),
      GrpcOk());
  ASSERT_THAT(
      SetValues(*env_, a.name(), after.etag(), {BoolValue("19.2", false)}, &after, "ca-1", kCongan),
      GrpcOk());
  ASSERT_EQ(after.values_size(), 2);
  EXPECT_EQ(after.values(0).agency(), kChqs);
  EXPECT_EQ(after.values(1).agency(), kCongan);
  const v1::CommuneStatus st = MustGetStatus(*env_, kBanBo);
  EXPECT_EQ(CriterionIn(st, "19").result(), v1::CRITERION_RESULT_NOT_MET);
  EXPECT_EQ(CriterionIn(st, "19").indicators_met(), 1);

  ASSERT_THAT(Submit(*env_, a.name(), after.etag(), &after), GrpcOk());
  // Either may review 19; the health office may not.
  EXPECT_THAT(Review(*env_, a.name(), after.etag(), "19", v1::REVIEW_VERDICT_CONFIRMED, "",
                     "y-te-1", kYte, nullptr),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED, HasSubstr("19")));
  ASSERT_THAT(Review(*env_, a.name(), after.etag(), "19", v1::REVIEW_VERDICT_CONFIRMED, "",
                     "chqs-1", kChqs, &after),
              GrpcOk());
  EXPECT_EQ(CriterionIn(MustGetStatus(*env_, kBanBo), "19").review_state(),
            v1::REVIEW_STATE_PENDING);
  ASSERT_THAT(Review(*env_, a.name(), after.etag(), "19", v1::REVIEW_VERDICT_CONFIRMED, "", "ca-1",
                     kCongan, &after),
              GrpcOk());
  EXPECT_EQ(CriterionIn(MustGetStatus(*env_, kBanBo), "19").review_state(),
            v1::REVIEW_STATE_CONFIRMED);
}

}  // namespace
}  // namespace ntm::assessment::testing
