// Bearer tokens: what an OpenID Connect issuer signs is accepted; none, expired, wrong issuer or
// audience, "alg: none", a key swap and a tampered payload are all refused as UNAUTHENTICATED.
#include "services/gateway/auth/jwt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/rsa.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ntm::gateway {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1707523200);  // 2024-02-10 00:00 UTC

std::string B64(absl::string_view s) { return absl::WebSafeBase64Escape(s); }

std::string Bn(const BIGNUM* b, int pad = 0) {
  std::string out(pad > 0 ? pad : BN_num_bytes(b), '\0');
  if (pad > 0) {
    BN_bn2binpad(b, reinterpret_cast<unsigned char*>(out.data()), pad);
  } else {
    BN_bn2bin(b, reinterpret_cast<unsigned char*>(out.data()));
  }
  return out;
}

// A signing key of the test issuer and its JWK.
struct TestKey {
  std::shared_ptr<EVP_PKEY> key;
  std::string alg;
  std::string kid;

  static TestKey Rsa(const std::string& kid) {
    return {std::shared_ptr<EVP_PKEY>(EVP_RSA_gen(2048), EVP_PKEY_free), "RS256", kid};
  }
  static TestKey Ec(const std::string& kid) {
    return {std::shared_ptr<EVP_PKEY>(EVP_EC_gen("P-256"), EVP_PKEY_free), "ES256", kid};
  }

  std::string Jwk() const {
    if (alg == "RS256") {
      BIGNUM* n = nullptr;
      BIGNUM* e = nullptr;
      EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N, &n);
      EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E, &e);
      std::string out =
          absl::StrFormat(R"({"kty":"RSA","kid":"%s","alg":"RS256","n":"%s","e":"%s"})", kid,
                          B64(Bn(n)), B64(Bn(e)));
      BN_free(n);
      BN_free(e);
      return out;
    }
    unsigned char point[65];
    size_t len = 0;
    EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point), &len);
    const std::string p(reinterpret_cast<char*>(point), len);
    return absl::StrFormat(R"({"kty":"EC","kid":"%s","crv":"P-256","x":"%s","y":"%s"})", kid,
                           B64(p.substr(1, 32)), B64(p.substr(33, 32)));
  }

  std::string Sign(absl::string_view data) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key.get());
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                   data.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(data.data()), data.size());
    EVP_MD_CTX_free(ctx);
    sig.resize(len);
    if (alg == "RS256") {
      return sig;
    }
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* s = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string raw = Bn(ECDSA_SIG_get0_r(s), 32) + Bn(ECDSA_SIG_get0_s(s), 32);
    ECDSA_SIG_free(s);
    return raw;
  }

  std::string Token(const std::string& payload, const std::string& header_alg = "") const {
    const std::string header = absl::StrFormat(R"({"alg":"%s","kid":"%s","typ":"JWT"})",
                                               header_alg.empty() ? alg : header_alg, kid);
    const std::string signed_part = B64(header) + "." + B64(payload);
    return signed_part + "." + B64(Sign(signed_part));
  }
};

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
