// Bearer tokens: what an OpenID Connect issuer signs is accepted; none, expired, wrong issuer or
// audience, "alg: none", a key swap and a tampered payload are all refused as UNAUTHENTICATED.
#include "services/gateway/auth/jwt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/gateway/tests/unit/test_keys.h"

namespace ntm::gateway {
namespace {

using testing::B64;
using ::testing::HasSubstr;
using testing::kNow;
using testing::TestKey;

std::string Claims(absl::Time exp, const std::string& iss = "https://id.laichau.gov.vn",
                   const std::string& aud = "ntm-gateway", const std::string& extra = "") {
  return absl::StrFormat(R"({"iss":"%s","aud":"%s","sub":"can-bo-ban-bo","exp":%d,"iat":%d%s})",
                         iss, aud, absl::ToUnixSeconds(exp), absl::ToUnixSeconds(kNow), extra);
}

class JwtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto keys = ParseJwks(absl::StrCat(R"({"keys":[)", rsa_.Jwk(), ",", ec_.Jwk(), "]}"));
    ASSERT_TRUE(keys.ok()) << keys.status();
    ASSERT_EQ(keys->size(), 2u);
    verifier_ = std::make_unique<JwtVerifier>(
        *keys, JwtPolicy{"https://id.laichau.gov.vn", "ntm-gateway", absl::Seconds(30)});
  }

  void ExpectRefused(const std::string& token, const std::string& why) {
    auto v = verifier_->Verify(token, kNow);
    ASSERT_FALSE(v.ok()) << token;
    EXPECT_EQ(v.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_THAT(v.status().message(), HasSubstr(why));
  }

  TestKey rsa_ = TestKey::Rsa("rsa-1");
  TestKey ec_ = TestKey::Ec("ec-1");
  std::unique_ptr<JwtVerifier> verifier_;
};

TEST_F(JwtTest, AcceptsRs256AndEs256TokensOfTheIssuer) {
  for (const TestKey* k : {&rsa_, &ec_}) {
    auto v = verifier_->Verify(k->Token(Claims(kNow + absl::Hours(1))), kNow);
    ASSERT_TRUE(v.ok()) << k->alg << ": " << v.status();
    EXPECT_EQ(v->subject, "can-bo-ban-bo");
    EXPECT_EQ(v->claims.at("aud"), "ntm-gateway");
  }
  // An audience list containing ours is fine.
  const std::string listed = absl::StrFormat(
      R"({"iss":"https://id.laichau.gov.vn","aud":["other","ntm-gateway"],"sub":"x","exp":%d})",
      absl::ToUnixSeconds(kNow + absl::Hours(1)));
  EXPECT_TRUE(verifier_->Verify(rsa_.Token(listed), kNow).ok());
}

TEST_F(JwtTest, RefusesBadTokens) {
  ExpectRefused("", "not a signed JWT");
  ExpectRefused("abc.def", "not a signed JWT");
  ExpectRefused(rsa_.Token(Claims(kNow - absl::Minutes(5))), "expired");
  ExpectRefused(rsa_.Token(Claims(kNow + absl::Hours(1), "https://evil.example")), "issuer");
  ExpectRefused(rsa_.Token(Claims(kNow + absl::Hours(1), "https://id.laichau.gov.vn", "other")),
                "audience");
  ExpectRefused(rsa_.Token(Claims(
                    kNow + absl::Hours(1), "https://id.laichau.gov.vn", "ntm-gateway",
                    absl::StrFormat(R"(,"nbf":%d)", absl::ToUnixSeconds(kNow + absl::Hours(1))))),
                "not valid before");
  // "alg": "none" with an empty signature.
  const std::string none_header = B64(R"({"alg":"none","typ":"JWT"})");
  ExpectRefused(none_header + "." + B64(Claims(kNow + absl::Hours(1))) + ".", "algorithm 'none'");
  // A header asking for HS256 (the classic confusion: an RSA public key used as an HMAC secret)
  // is refused by its algorithm alone.
  ExpectRefused(rsa_.Token(Claims(kNow + absl::Hours(1)), "HS256"), "algorithm 'HS256'");
  // A key the issuer never published.
  TestKey stranger = TestKey::Rsa("rsa-1");
  ExpectRefused(stranger.Token(Claims(kNow + absl::Hours(1))), "signature");
  // A token of the RSA key that claims to be ES256 (key swap by header).
  ExpectRefused(rsa_.Token(Claims(kNow + absl::Hours(1)), "ES256"), "no ES256 key 'rsa-1'");
  // A tampered payload: another subject, signature of the original.
  const std::string good = rsa_.Token(Claims(kNow + absl::Hours(1)));
  const size_t dot1 = good.find('.');
  const size_t dot2 = good.find('.', dot1 + 1);
  const std::string forged_payload = B64(absl::StrFormat(
      R"({"iss":"https://id.laichau.gov.vn","aud":"ntm-gateway","sub":"vp-dieu-phoi","exp":%d})",
      absl::ToUnixSeconds(kNow + absl::Hours(1))));
  ExpectRefused(good.substr(0, dot1 + 1) + forged_payload + good.substr(dot2), "signature");
  // No subject.
  ExpectRefused(rsa_.Token(absl::StrFormat(
                    R"({"iss":"https://id.laichau.gov.vn","aud":"ntm-gateway","exp":%d})",
                    absl::ToUnixSeconds(kNow + absl::Hours(1)))),
                "subject");
  // No expiry.
  ExpectRefused(rsa_.Token(R"({"iss":"https://id.laichau.gov.vn","aud":"ntm-gateway","sub":"x"})"),
                "no expiry");
}

TEST_F(JwtTest, ToleratesSmallClockSkewOnly) {
  EXPECT_TRUE(verifier_->Verify(rsa_.Token(Claims(kNow - absl::Seconds(20))), kNow).ok());
  EXPECT_FALSE(verifier_->Verify(rsa_.Token(Claims(kNow - absl::Seconds(40))), kNow).ok());
}

TEST(JwksTest, RefusesUnsupportedOrBrokenKeys) {
  EXPECT_FALSE(ParseJwks("not json").ok());
  EXPECT_FALSE(ParseJwks(R"({"nokeys":[]})").ok());
  auto s = ParseJwks(R"({"keys":[{"kty":"oct","k":"c2VjcmV0"}]})");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("'oct'"));
  s = ParseJwks(R"({"keys":[{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}]})");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("P-256"));
  s = ParseJwks(R"({"keys":[{"kty":"RSA","alg":"PS256","n":"AQAB","e":"AQAB"}]})");
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace ntm::gateway
