// The gateway in front of the real assessment service and MariaDB: who may touch which commune
// and which indicators, proved over gRPC, with the rows checked after every refusal.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/gateway/tests/gateway_env.h"

namespace ntm::gateway {
namespace {

using ntm::assessment::testing::ServiceEnv;
using ntm::gateway::testing::GatewayEnv;
using ::testing::HasSubstr;
namespace v1 = ntm::assessment::v1;

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = GatewayEnv::Start();
    ASSERT_NE(env_, nullptr);
    svc_ = &env_->service();
    catalog_ = v1::CatalogService::NewStub(env_->channel());
    assessments_ = v1::AssessmentService::NewStub(env_->channel());
  }

  // Calls as a demo principal ("" for no credentials); "forged" presents an unknown token.
  static std::unique_ptr<grpc::ClientContext> As(const std::string& principal) {
    if (principal == "forged") {
      auto ctx = GatewayEnv::As("");
      ctx->AddMetadata("authorization", "Bearer forged");
      return ctx;
    }
    return GatewayEnv::As(principal);
  }

  // Creates (directly on the service) and returns the assessment of a commune.
  v1::Assessment Draft(const std::string& unit) {
    v1::CreateAssessmentRequest req;
    req.set_parent(unit);
    req.set_as_of_date("2023-12-31");
    v1::CreateAssessmentResponse resp;
    EXPECT_TRUE(
        svc_->assessments().CreateAssessment(ServiceEnv::Context("setup").get(), req, &resp).ok());
    return resp.assessment();
  }

  static v1::SetIndicatorValuesRequest Percent(const v1::Assessment& a, const std::string& code,
                                               double value) {
    v1::SetIndicatorValuesRequest req;
    req.set_name(a.name());
    req.set_etag(a.etag());
    auto* v = req.add_values();
    v->set_indicator_code(code);
    v->set_number_value(value);
    return req;
  }

  std::unique_ptr<GatewayEnv> env_;
  ServiceEnv* svc_ = nullptr;
  std::unique_ptr<v1::CatalogService::Stub> catalog_;
  std::unique_ptr<v1::AssessmentService::Stub> assessments_;
};

TEST_F(GatewayTest, AnonymousCallsAreUnauthenticatedAndTokensReadTheCatalog) {
  v1::GetCriteriaSetRequest req;
  req.set_name("criteriaSets/lai-chau-2022");
  v1::GetCriteriaSetResponse resp;
  grpc::Status s = catalog_->GetCriteriaSet(As("").get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  s = catalog_->GetCriteriaSet(As("forged").get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  s = catalog_->GetCriteriaSet(As("can-bo-ban-bo").get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.criteria_set().indicator_count(), 57);
}

TEST_F(GatewayTest, ACommuneOfficerOfBanBoNeverChangesBanHon) {
  v1::CreateAssessmentRequest req;
  req.set_parent("units/03421");
  req.set_as_of_date("2023-12-31");
  v1::CreateAssessmentResponse resp;
  const std::string before = svc_->Snapshot();
  grpc::Status s = assessments_->CreateAssessment(As("can-bo-ban-bo").get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("units/03421"));
  EXPECT_EQ(svc_->Snapshot(), before);

  req.set_parent("units/03424");
  s = assessments_->CreateAssessment(As("can-bo-ban-bo").get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // The backend recorded the principal the gateway authenticated.
  EXPECT_EQ(resp.assessment().created_by(), "can-bo-ban-bo");

  v1::Assessment hon = Draft("units/03421");
  const std::string before_values = svc_->Snapshot();
  v1::SetIndicatorValuesResponse out;
  s = assessments_->SetIndicatorValues(As("can-bo-ban-bo").get(), Percent(hon, "17.11", 50), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(svc_->Snapshot(), before_values);
}

TEST_F(GatewayTest, SocialInsurancePushesFifteenOneAndNothingElse) {
  const v1::Assessment bo = Draft("units/03424");
  v1::SetIndicatorValuesResponse out;
  grpc::Status s =
      assessments_->SetIndicatorValues(As("tam-duong-bhxh").get(), Percent(bo, "15.1", 96.5), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(svc_->QueryString("SELECT agency_id FROM assessment_values WHERE indicator_code = "
                              "'15.1'"),
            "tam-duong-bhxh");
  EXPECT_EQ(svc_->QueryString("SELECT supplied_by FROM assessment_values WHERE indicator_code = "
                              "'15.1'"),
            "tam-duong-bhxh");

  const std::string before = svc_->Snapshot();
  s = assessments_->SetIndicatorValues(As("tam-duong-bhxh").get(),
                                       Percent(out.assessment(), "15.4", 50), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("15.4"));
  EXPECT_EQ(svc_->Snapshot(), before);
}

TEST_F(GatewayTest, TheHealthOfficeReviewsFifteenButNotSeventeen) {
  v1::Assessment bo = Draft("units/03424");
  v1::SubmitAssessmentRequest submit;
  submit.set_name(bo.name());
  submit.set_etag(bo.etag());
  v1::SubmitAssessmentResponse submitted;
  grpc::Status s = assessments_->SubmitAssessment(As("can-bo-ban-bo").get(), submit, &submitted);
  ASSERT_TRUE(s.ok()) << s.error_message();

  v1::ReviewCriterionRequest review;
  review.set_name(bo.name());
  review.set_criterion_code("17");
  review.set_verdict(v1::REVIEW_VERDICT_CONFIRMED);
  review.set_etag(submitted.assessment().etag());
  v1::ReviewCriterionResponse reviewed;
  const std::string before = svc_->Snapshot();
  s = assessments_->ReviewCriterion(As("tam-duong-yte").get(), review, &reviewed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("criterion 17"));
  EXPECT_EQ(svc_->Snapshot(), before);

  review.set_criterion_code("15");
  s = assessments_->ReviewCriterion(As("tam-duong-yte").get(), review, &reviewed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(reviewed.assessment().reviews_size(), 1);
  EXPECT_EQ(reviewed.assessment().reviews(0).reviewer(), "tam-duong-yte");
}

TEST_F(GatewayTest, IdentityHeadersFromTheCallerAreNotTrusted) {
  v1::CreateAssessmentRequest req;
  req.set_parent("units/03424");
  req.set_as_of_date("2023-12-31");
  v1::CreateAssessmentResponse resp;
  auto ctx = As("can-bo-ban-bo");
  ctx->AddMetadata("x-ntm-principal", "vp-dieu-phoi");
  ctx->AddMetadata("x-ntm-agency", "agencies/tam-duong-tnmt");
  grpc::Status s = assessments_->CreateAssessment(ctx.get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.assessment().created_by(), "can-bo-ban-bo");
}

}  // namespace
}  // namespace ntm::gateway
