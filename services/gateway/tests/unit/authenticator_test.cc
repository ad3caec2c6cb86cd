// Turning credentials into principals: development tokens, bearer JWTs, client certificates.
#include "services/gateway/auth/authenticator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/gateway/tests/unit/test_keys.h"

namespace ntm::gateway {
namespace {

using ::testing::HasSubstr;
using testing::kNow;
using testing::TestKey;

constexpr char kPrincipals[] = R"({"principals": [
  {"id": "can-bo-ban-bo", "unit": "units/03424", "roles": ["ROLE_COMMUNE_OFFICER"]},
  {"id": "bhxh-system", "unit": "units/106", "agency": "agencies/tam-duong-bhxh",
   "roles": ["ROLE_STEERING_MEMBER"], "certificate_subject": "CN=bhxh-tam-duong,O=BHXH"},
  {"id": "nghi-huu", "unit": "units/106", "roles": ["ROLE_STANDING_OFFICE"], "active": false}
]})";

class AuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registry = StaticPrincipalRegistry::FromJson(kPrincipals);
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = std::move(*registry);
    auto keys = ParseJwks(absl::StrCat(R"({"keys":[)", key_.Jwk(), "]}"));
    ASSERT_TRUE(keys.ok());
    authenticator_ = std::make_unique<Authenticator>(
        registry_.get(),
        std::map<std::string, std::string>{{"dev-ban-bo-0123456789abcdef", "can-bo-ban-bo"},
                                           {"dev-retired-0123456789abcdef", "nghi-huu"}},
        std::make_unique<JwtVerifier>(*keys, JwtPolicy{"https://id.test", "ntm-gateway"}));
  }

  std::string Jwt(const std::string& subject) {
    return key_.Token(
        absl::StrFormat(R"({"iss":"https://id.test","aud":"ntm-gateway","sub":"%s","exp":%d})",
                        subject, absl::ToUnixSeconds(kNow + absl::Hours(1))));
  }

  TestKey key_ = TestKey::Ec("ec-1");
  std::unique_ptr<StaticPrincipalRegistry> registry_;
  std::unique_ptr<Authenticator> authenticator_;
};

TEST_F(AuthenticatorTest, KnowsPrincipalsByDevTokenJwtAndCertificate) {
  auto a = authenticator_->Authenticate({"Bearer dev-ban-bo-0123456789abcdef", ""}, kNow);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->principal.id, "can-bo-ban-bo");
  EXPECT_EQ(a->principal.unit_code, "03424");
  EXPECT_EQ(a->method, "dev-token");

  a = authenticator_->Authenticate({"Bearer " + Jwt("bhxh-system"), ""}, kNow);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->principal.agency_id, "tam-duong-bhxh");
  EXPECT_EQ(a->method, "jwt");

  a = authenticator_->Authenticate({"", "CN=bhxh-tam-duong,O=BHXH"}, kNow);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->principal.id, "bhxh-system");
  EXPECT_EQ(a->method, "mtls");
}

TEST_F(AuthenticatorTest, RefusesMissingUnknownAndDeactivated) {
  struct Case {
    Credentials credentials;
    std::string why;
  };
  const std::vector<Case> cases = {
      {{"", ""}, "no credentials"},
      {{"Basic dXNlcjpwYXNz", ""}, "Bearer"},
      {{"Bearer not-a-token", ""}, "not a signed JWT"},
      {{"Bearer " + Jwt("nobody"), ""}, "'nobody' is not registered"},
      {{"Bearer dev-retired-0123456789abcdef", ""}, "deactivated"},
      {{"", "CN=stranger"}, "not registered"},
  };
  for (const Case& c : cases) {
    auto a = authenticator_->Authenticate(c.credentials, kNow);
    ASSERT_FALSE(a.ok()) << c.why;
    EXPECT_EQ(a.status().code(), absl::StatusCode::kUnauthenticated) << c.why;
    EXPECT_THAT(a.status().message(), HasSubstr(c.why));
  }
}

TEST(PrincipalRegistryTest, RefusesBadFiles) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[]", "not JSON"},
      {R"({"users":[]})", "expected {\"principals\""},
      {R"({"principals":[{"id":"x","unit":"units/1","roles":["ROLE_COMMUNE_OFFICER"],"colour":1}]})",
       "unknown key \"colour\""},
      {R"({"principals":[{"id":"x","unit":"03424","roles":["ROLE_COMMUNE_OFFICER"]}]})",
       "\"unit\" must be a unit name"},
      {R"({"principals":[{"id":"x","unit":"units/1","roles":["ROLE_KING"]}]})",
       "unknown role ROLE_KING"},
      {R"({"principals":[{"id":"x","unit":"units/1","roles":[]}]})", "at least one role"},
      {R"({"principals":[{"id":"x","unit":"units/1","roles":["ROLE_COMMUNE_OFFICER"]},
                         {"id":"x","unit":"units/2","roles":["ROLE_COMMUNE_OFFICER"]}]})",
       "appears twice"},
  };
  for (const auto& [json, why] : cases) {
    auto r = StaticPrincipalRegistry::FromJson(json);
    ASSERT_FALSE(r.ok()) << json;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr(why)) << json;
  }
}

}  // namespace
}  // namespace ntm::gateway
