// Bearer JWTs through the running gateway, over gRPC and HTTP: the issuer's good token reads and
// writes as its subject; every bad token is UNAUTHENTICATED (401) and changes nothing.
#include <curl/curl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/gateway/tests/gateway_env.h"
#include "services/gateway/tests/unit/test_keys.h"

namespace ntm::gateway {
namespace {

using ntm::gateway::testing::B64;
using ntm::gateway::testing::GatewayEnv;
using ntm::gateway::testing::GatewayEnvOptions;
using ntm::gateway::testing::TestKey;
using ::testing::HasSubstr;
namespace av1 = ntm::assessment::v1;

constexpr char kIssuer[] = "https://id.laichau.gov.vn";

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

long HttpStatus(int port, const std::string& token) {
  CURL* curl = curl_easy_init();
  const std::string url =
      absl::StrCat("http://127.0.0.1:", port, "/ntm.assessment.v1.CatalogService/GetCriteriaSet");
  const std::string auth = absl::StrCat("Authorization: Bearer ", token);
  curl_slist* headers = curl_slist_append(nullptr, auth.c_str());
  const char body[] = R"({"name": "criteriaSets/lai-chau-2022"})";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Discard);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  long status = 0;
  EXPECT_EQ(curl_easy_perform(curl), CURLE_OK);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return status;
}

class JwtGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GatewayEnvOptions options;
    options.jwks_json = absl::StrCat(R"({"keys":[)", rsa_.Jwk(), ",", ec_.Jwk(), "]}");
    options.jwt_issuer = kIssuer;
    env_ = GatewayEnv::Start(options);
    ASSERT_NE(env_, nullptr);
    now_ = absl::ToUnixSeconds(env_->service().clock().Now());
  }

  std::string Claims(const std::string& sub, int64_t exp_in, const std::string& iss = kIssuer,
                     const std::string& aud = "ntm-gateway") const {
    return absl::StrFormat(R"({"iss":"%s","aud":"%s","sub":"%s","exp":%d,"iat":%d})", iss, aud, sub,
                           now_ + exp_in, now_);
  }

  grpc::Status Read(const std::string& token) {
    auto catalog = av1::CatalogService::NewStub(env_->channel());
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    ctx.AddMetadata("authorization", "Bearer " + token);
    av1::GetCriteriaSetRequest req;
    req.set_name("criteriaSets/lai-chau-2022");
    av1::GetCriteriaSetResponse resp;
    return catalog->GetCriteriaSet(&ctx, req, &resp);
  }

  TestKey rsa_ = TestKey::Rsa("rsa-2024");
  TestKey ec_ = TestKey::Ec("ec-2024");
  std::unique_ptr<GatewayEnv> env_;
  int64_t now_ = 0;
};

TEST_F(JwtGatewayTest, TheIssuersTokenActsAsItsSubject) {
  const std::string token = ec_.Token(Claims("can-bo-ban-bo", 3600));
  ASSERT_TRUE(Read(token).ok());
  EXPECT_EQ(HttpStatus(env_->http_port(), token), 200);

  auto assessments = av1::AssessmentService::NewStub(env_->channel());
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + rsa_.Token(Claims("can-bo-ban-bo", 3600)));
  av1::CreateAssessmentRequest req;
  req.set_parent("units/03424");
  req.set_as_of_date("2023-12-31");
  av1::CreateAssessmentResponse resp;
  grpc::Status s = assessments->CreateAssessment(&ctx, req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.assessment().created_by(), "can-bo-ban-bo");
  EXPECT_EQ(env_->GatewayQueryInt("SELECT COUNT(*) FROM decisions WHERE authenticated_by = 'jwt' "
                                  "AND principal_id = 'can-bo-ban-bo' AND allowed"),
            1);
}

TEST_F(JwtGatewayTest, EveryBadTokenIsUnauthenticatedOverGrpcAndHttp) {
  const std::string good = rsa_.Token(Claims("can-bo-ban-bo", 3600));
  const size_t dot1 = good.find('.');
  const size_t dot2 = good.find('.', dot1 + 1);
  TestKey stranger = TestKey::Rsa("rsa-2024");  // same kid, a key the issuer never published
  const std::map<std::string, std::string> bad = {
      {"expired", rsa_.Token(Claims("can-bo-ban-bo", -300))},
      {"wrong issuer", rsa_.Token(Claims("can-bo-ban-bo", 3600, "https://evil.example"))},
      {"wrong audience", rsa_.Token(Claims("can-bo-ban-bo", 3600, kIssuer, "other-app"))},
      {"alg none",
       B64(R"({"alg":"none","typ":"JWT"})") + "." + B64(Claims("can-bo-ban-bo", 3600)) + "."},
      {"key swap", stranger.Token(Claims("can-bo-ban-bo", 3600))},
      {"algorithm swap", rsa_.Token(Claims("can-bo-ban-bo", 3600), "ES256")},
      {"tampered payload",
       good.substr(0, dot1 + 1) + B64(Claims("lai-chau-vpdp", 3600)) + good.substr(dot2)},
      {"unknown subject", rsa_.Token(Claims("nobody-here", 3600))},
      {"not a token", "hello"},
  };
  const std::string before = env_->service().Snapshot();
  for (const auto& [name, token] : bad) {
    grpc::Status s = Read(token);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << name << ": " << s.error_message();
    EXPECT_EQ(HttpStatus(env_->http_port(), token), 401) << name;
  }
  EXPECT_EQ(env_->service().Snapshot(), before);
  EXPECT_EQ(env_->GatewayQueryInt("SELECT COUNT(*) FROM decisions"), 0);
}

}  // namespace
}  // namespace ntm::gateway
