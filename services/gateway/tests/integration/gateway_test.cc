// The gateway in front of the real assessment service and MariaDB: who may touch which commune
// and which indicators, proved over gRPC, with the rows checked after every refusal.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "ntm/notifications/v1/notification.grpc.pb.h"
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

// A TCP listener that takes connections (the kernel completes them) and never says a word: a
// service whose host is cut off or stuck, as the gateway sees it.
class SilentListener {
 public:
  SilentListener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        listen(fd_, 16) != 0 || getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
      return;
    }
    port_ = ntohs(addr.sin_port);
  }
  ~SilentListener() {
    if (fd_ >= 0) {
      close(fd_);
    }
  }
  std::string target() const { return absl::StrCat("127.0.0.1:", port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(GatewayBackendTimeoutTest, AServiceThatNeverAnswersIsUnavailableWithinTheBackendTimeout) {
  SilentListener silent;
  testing::GatewayEnvOptions options;
  options.backend_targets["notifications"] = silent.target();
  options.backend_timeout = absl::Seconds(1);
  auto env = GatewayEnv::Start(options);
  ASSERT_NE(env, nullptr);
  auto inbox = ntm::notifications::v1::NotificationService::NewStub(env->channel());
  ntm::notifications::v1::ListNotificationsRequest req;
  req.set_parent("units/03424");
  ntm::notifications::v1::ListNotificationsResponse resp;

  // The caller allows 10 s; the gateway gives the service 1 s and says it is unavailable.
  auto ctx = GatewayEnv::As("can-bo-ban-bo");
  const auto start = std::chrono::steady_clock::now();
  grpc::Status s = inbox->ListNotifications(ctx.get(), req, &resp);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("notifications service did not answer within 1s"));
  EXPECT_LT(took, std::chrono::seconds(5));

  // A caller whose own deadline comes first gets DEADLINE_EXCEEDED: its limit, not the service.
  auto hurried = GatewayEnv::As("can-bo-ban-bo");
  hurried->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
  s = inbox->ListNotifications(hurried.get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << s.error_message();

  // The other services still answer through the same gateway.
  ntm::assessment::v1::ListCriteriaSetsRequest criteria;
  ntm::assessment::v1::ListCriteriaSetsResponse listed;
  auto catalog = ntm::assessment::v1::CatalogService::NewStub(env->channel());
  s = catalog->ListCriteriaSets(GatewayEnv::As("can-bo-ban-bo").get(), criteria, &listed);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

}  // namespace
}  // namespace ntm::gateway
