// The gateway in front of the real assessment service and MariaDB: who may touch which commune
// and which indicators, proved over gRPC, with the rows checked after every refusal.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/assessment/tests/test_env.h"
#include "services/gateway/authz/served_services.h"
#include "services/gateway/proxy/proxy.h"

namespace ntm::gateway {
namespace {

using ntm::assessment::testing::ServiceEnv;
using ::testing::HasSubstr;
namespace v1 = ntm::assessment::v1;

constexpr char kPrincipals[] = R"({"principals": [
  {"id": "can-bo-ban-bo", "unit": "units/03424", "roles": ["ROLE_COMMUNE_OFFICER"]},
  {"id": "yte-1", "unit": "units/106", "agency": "agencies/tam-duong-yte",
   "roles": ["ROLE_STEERING_MEMBER"]},
  {"id": "bhxh-system", "unit": "units/106", "agency": "agencies/tam-duong-bhxh",
   "roles": ["ROLE_STEERING_MEMBER"]}
]})";

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ServiceEnv::Start();
    ASSERT_NE(env_, nullptr);
    auto table = RuleTable::Compile(ServedServiceDescriptors());
    ASSERT_TRUE(table.ok()) << table.status();
    rules_ = std::make_unique<RuleTable>(std::move(*table));
    auto registry = StaticPrincipalRegistry::FromJson(kPrincipals);
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = std::move(*registry);
    authenticator_ = std::make_unique<Authenticator>(
        registry_.get(),
        std::map<std::string, std::string>{
            {"tok-ban-bo", "can-bo-ban-bo"}, {"tok-yte", "yte-1"}, {"tok-bhxh", "bhxh-system"}},
        nullptr);
    resolver_ = std::make_unique<DirectoryTargetResolver>(env_->channel());
    executor_ = std::make_unique<BoundedExecutor>(4, 100);
    metrics_ = std::make_unique<Metrics>("gateway-test");
    GatewayDeps deps;
    deps.rules = rules_.get();
    deps.authenticator = authenticator_.get();
    deps.authorizer = &authorizer_;
    deps.resolver = resolver_.get();
    deps.backends["assessment"] = env_->channel();
    for (const auto& s : ServedServices()) {
      for (int m = 0; m < s.descriptor->method_count(); ++m) {
        deps.backend_of_method[absl::StrCat("/", s.descriptor->full_name(), "/",
                                            s.descriptor->method(m)->name())] = s.backend;
      }
    }
    deps.executor = executor_.get();
    deps.metrics = metrics_.get();
    deps.clock = &clock_;
    service_ = std::make_unique<GatewayService>(std::move(deps));
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterCallbackGenericService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
    catalog_ = v1::CatalogService::NewStub(channel);
    assessments_ = v1::AssessmentService::NewStub(channel);
  }

  void TearDown() override {
    if (server_ != nullptr) {
      server_->Shutdown();
    }
    if (executor_ != nullptr) {
      executor_->Shutdown();
    }
  }

  static std::unique_ptr<grpc::ClientContext> As(const std::string& token) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!token.empty()) {
      ctx->AddMetadata("authorization", "Bearer " + token);
    }
    return ctx;
  }

  // Creates (directly on the service) and returns the assessment of a commune.
  v1::Assessment Draft(const std::string& unit) {
    v1::CreateAssessmentRequest req;
    req.set_parent(unit);
    req.set_as_of_date("2023-12-31");
    v1::CreateAssessmentResponse resp;
    EXPECT_TRUE(
        env_->assessments().CreateAssessment(ServiceEnv::Context("setup").get(), req, &resp).ok());
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

  std::unique_ptr<ServiceEnv> env_;
  ManualClock clock_{absl::Now()};
  std::unique_ptr<RuleTable> rules_;
  std::unique_ptr<StaticPrincipalRegistry> registry_;
  std::unique_ptr<Authenticator> authenticator_;
  RuleAuthorizer authorizer_;
  std::unique_ptr<DirectoryTargetResolver> resolver_;
  std::unique_ptr<BoundedExecutor> executor_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<GatewayService> service_;
  std::unique_ptr<grpc::Server> server_;
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
  s = catalog_->GetCriteriaSet(As("tok-ban-bo").get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.criteria_set().indicator_count(), 57);
}

TEST_F(GatewayTest, ACommuneOfficerOfBanBoNeverChangesBanHon) {
  v1::CreateAssessmentRequest req;
  req.set_parent("units/03421");
  req.set_as_of_date("2023-12-31");
  v1::CreateAssessmentResponse resp;
  const std::string before = env_->Snapshot();
  grpc::Status s = assessments_->CreateAssessment(As("tok-ban-bo").get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("units/03421"));
  EXPECT_EQ(env_->Snapshot(), before);

  req.set_parent("units/03424");
  s = assessments_->CreateAssessment(As("tok-ban-bo").get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // The backend recorded the principal the gateway authenticated.
  EXPECT_EQ(resp.assessment().created_by(), "can-bo-ban-bo");

  v1::Assessment hon = Draft("units/03421");
  const std::string before_values = env_->Snapshot();
  v1::SetIndicatorValuesResponse out;
  s = assessments_->SetIndicatorValues(As("tok-ban-bo").get(), Percent(hon, "17.11", 50), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(env_->Snapshot(), before_values);
}

TEST_F(GatewayTest, SocialInsurancePushesFifteenOneAndNothingElse) {
  const v1::Assessment bo = Draft("units/03424");
  v1::SetIndicatorValuesResponse out;
  grpc::Status s =
      assessments_->SetIndicatorValues(As("tok-bhxh").get(), Percent(bo, "15.1", 96.5), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(env_->QueryString("SELECT agency_id FROM assessment_values WHERE indicator_code = "
                              "'15.1'"),
            "tam-duong-bhxh");
  EXPECT_EQ(env_->QueryString("SELECT supplied_by FROM assessment_values WHERE indicator_code = "
                              "'15.1'"),
            "bhxh-system");

  const std::string before = env_->Snapshot();
  s = assessments_->SetIndicatorValues(As("tok-bhxh").get(), Percent(out.assessment(), "15.4", 50),
                                       &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("15.4"));
  EXPECT_EQ(env_->Snapshot(), before);
}

TEST_F(GatewayTest, TheHealthOfficeReviewsFifteenButNotSeventeen) {
  v1::Assessment bo = Draft("units/03424");
  v1::SubmitAssessmentRequest submit;
  submit.set_name(bo.name());
  submit.set_etag(bo.etag());
  v1::SubmitAssessmentResponse submitted;
  grpc::Status s = assessments_->SubmitAssessment(As("tok-ban-bo").get(), submit, &submitted);
  ASSERT_TRUE(s.ok()) << s.error_message();

  v1::ReviewCriterionRequest review;
  review.set_name(bo.name());
  review.set_criterion_code("17");
  review.set_verdict(v1::REVIEW_VERDICT_CONFIRMED);
  review.set_etag(submitted.assessment().etag());
  v1::ReviewCriterionResponse reviewed;
  const std::string before = env_->Snapshot();
  s = assessments_->ReviewCriterion(As("tok-yte").get(), review, &reviewed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("criterion 17"));
  EXPECT_EQ(env_->Snapshot(), before);

  review.set_criterion_code("15");
  s = assessments_->ReviewCriterion(As("tok-yte").get(), review, &reviewed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(reviewed.assessment().reviews_size(), 1);
  EXPECT_EQ(reviewed.assessment().reviews(0).reviewer(), "yte-1");
}

TEST_F(GatewayTest, IdentityHeadersFromTheCallerAreNotTrusted) {
  v1::CreateAssessmentRequest req;
  req.set_parent("units/03424");
  req.set_as_of_date("2023-12-31");
  v1::CreateAssessmentResponse resp;
  auto ctx = As("tok-ban-bo");
  ctx->AddMetadata("x-ntm-principal", "vp-dieu-phoi");
  ctx->AddMetadata("x-ntm-agency", "agencies/tam-duong-tnmt");
  grpc::Status s = assessments_->CreateAssessment(ctx.get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.assessment().created_by(), "can-bo-ban-bo");
}

}  // namespace
}  // namespace ntm::gateway
