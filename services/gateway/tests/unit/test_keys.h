// Keys and tokens of a test OpenID Connect issuer, signed for real with OpenSSL.
#ifndef NTM_SERVICES_GATEWAY_TESTS_UNIT_TEST_KEYS_H_
#define NTM_SERVICES_GATEWAY_TESTS_UNIT_TEST_KEYS_H_

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace ntm::gateway::testing {

inline const absl::Time kNow = absl::FromUnixSeconds(1707523200);  // 2024-02-10 00:00 UTC

inline std::string B64(absl::string_view s) { return absl::WebSafeBase64Escape(s); }

inline std::string Bn(const BIGNUM* b, int pad = 0) {
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

}  // namespace ntm::gateway::testing

#endif  // NTM_SERVICES_GATEWAY_TESTS_UNIT_TEST_KEYS_H_
