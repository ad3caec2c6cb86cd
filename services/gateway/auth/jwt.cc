#include "services/gateway/auth/jwt.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/param_build.h>

#include <cmath>
#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace ntm::gateway {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("bearer token refused: ", why));
}

bool Base64UrlDecode(absl::string_view in, std::string* out) {
  return absl::WebSafeBase64Unescape(in, out);
}

absl::StatusOr<Struct> ParseJsonObject(absl::string_view json) {
  Struct s;
  google::protobuf::util::JsonParseOptions options;
  auto status = google::protobuf::util::JsonStringToMessage(std::string(json), &s, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(std::string(status.message()));
  }
  return s;
}

std::string StringField(const Struct& s, const std::string& name) {
  auto it = s.fields().find(name);
  if (it == s.fields().end() || it->second.kind_case() != Value::kStringValue) {
    return "";
  }
  return it->second.string_value();
}

struct BnDeleter {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

std::shared_ptr<EVP_PKEY> FromData(const char* type, OSSL_PARAM_BLD* bld) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* pkey = nullptr;
  if (ctx == nullptr || params == nullptr || EVP_PKEY_fromdata_init(ctx) != 1 ||
      EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    pkey = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return pkey == nullptr ? nullptr : std::shared_ptr<EVP_PKEY>(pkey, EVP_PKEY_free);
}

std::shared_ptr<EVP_PKEY> RsaKey(const std::string& n, const std::string& e) {
  BnPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), n.size(), nullptr));
  BnPtr be(BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), e.size(), nullptr));
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn.get());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be.get());
  auto key = FromData("RSA", bld);
  OSSL_PARAM_BLD_free(bld);
  return key;
}

std::shared_ptr<EVP_PKEY> EcKey(const std::string& x, const std::string& y) {
  std::string point = absl::StrCat(std::string(1, '\x04'), x, y);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  auto key = FromData("EC", bld);
  OSSL_PARAM_BLD_free(bld);
  return key;
}

// A JWS ES256 signature is r || s (32 bytes each); OpenSSL verifies DER.
bool RawToDer(const std::string& raw, std::string* der) {
  if (raw.size() != 64) {
    return false;
  }
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  ECDSA_SIG_set0(sig, r, s);
  unsigned char* out = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &out);
  ECDSA_SIG_free(sig);
  if (len <= 0) {
    return false;
  }
  der->assign(reinterpret_cast<char*>(out), static_cast<size_t>(len));
  OPENSSL_free(out);
  return true;
}

bool VerifySignature(const Jwk& key, absl::string_view signed_part, const std::string& sig) {
  std::string der = sig;
  if (key.alg == "ES256" && !RawToDer(sig, &der)) {
    return false;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key.key.get()) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(der.data()), der.size(),
                       reinterpret_cast<const unsigned char*>(signed_part.data()),
                       signed_part.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::string ClaimText(const Value& v) {
  switch (v.kind_case()) {
    case Value::kStringValue:
      return v.string_value();
    case Value::kNumberValue:
      return absl::StrFormat("%.0f", v.number_value());
    case Value::kBoolValue:
      return v.bool_value() ? "true" : "false";
    default: {
      std::string json;
      (void)google::protobuf::util::MessageToJsonString(v, &json);
      return json;
    }
  }
}

}  // namespace

absl::StatusOr<std::vector<Jwk>> ParseJwks(absl::string_view json) {
  auto doc = ParseJsonObject(json);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("jwks: not JSON: ", doc.status().message()));
  }
  auto it = doc->fields().find("keys");
  if (it == doc->fields().end() || it->second.kind_case() != Value::kListValue) {
    return absl::InvalidArgumentError("jwks: no \"keys\" array");
  }
  std::vector<Jwk> out;
  int i = 0;
  for (const Value& v : it->second.list_value().values()) {
    const std::string where = absl::StrCat("jwks: keys[", i++, "]");
    if (v.kind_case() != Value::kStructValue) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": not an object"));
    }
    const Struct& k = v.struct_value();
    Jwk jwk;
    jwk.kid = StringField(k, "kid");
    const std::string kty = StringField(k, "kty");
    jwk.alg = StringField(k, "alg");
    if (kty == "RSA") {
      std::string n, e;
      if (!Base64UrlDecode(StringField(k, "n"), &n) || !Base64UrlDecode(StringField(k, "e"), &e) ||
          n.size() < 256) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": RSA key needs n (>= 2048 bits), e"));
      }
      if (jwk.alg.empty()) {
        jwk.alg = "RS256";
      }
      jwk.key = RsaKey(n, e);
    } else if (kty == "EC") {
      std::string x, y;
      if (StringField(k, "crv") != "P-256" || !Base64UrlDecode(StringField(k, "x"), &x) ||
          !Base64UrlDecode(StringField(k, "y"), &y) || x.size() != 32 || y.size() != 32) {
        return absl::InvalidArgumentError(absl::StrCat(where, ": EC key needs crv P-256, x, y"));
      }
      if (jwk.alg.empty()) {
        jwk.alg = "ES256";
      }
      jwk.key = EcKey(x, y);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": key type '", kty, "' is not supported (RSA, EC)"));
    }
    if ((kty == "RSA" && jwk.alg != "RS256") || (kty == "EC" && jwk.alg != "ES256")) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": algorithm '", jwk.alg, "' is not allowed for a ", kty, " key"));
    }
    if (jwk.key == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": not a valid public key"));
    }
    out.push_back(std::move(jwk));
  }
  return out;
}

absl::StatusOr<VerifiedToken> JwtVerifier::Verify(absl::string_view token, absl::Time now) const {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) {
    return Unauthenticated("not a signed JWT (header.payload.signature)");
  }
  std::string header_json, payload_json, signature;
  if (!Base64UrlDecode(parts[0], &header_json) || !Base64UrlDecode(parts[1], &payload_json) ||
      !Base64UrlDecode(parts[2], &signature)) {
    return Unauthenticated("not base64url");
  }
  auto header = ParseJsonObject(header_json);
  if (!header.ok()) {
    return Unauthenticated("header is not JSON");
  }
  const std::string alg = StringField(*header, "alg");
  if (alg != "RS256" && alg != "ES256") {
    return Unauthenticated(absl::StrCat("algorithm '", alg, "' is not accepted (RS256, ES256)"));
  }
  const std::string kid = StringField(*header, "kid");
  std::shared_ptr<const std::vector<Jwk>> keys;
  {
    absl::MutexLock lock(&mu_);
    keys = keys_;
  }
  const Jwk* key = nullptr;
  for (const Jwk& k : *keys) {
    if ((kid.empty() || k.kid == kid) && k.alg == alg) {
      key = &k;
      break;
    }
  }
  if (key == nullptr) {
    return Unauthenticated(absl::StrFormat("no %s key '%s' in the issuer's key set", alg, kid));
  }
  const absl::string_view signed_part = token.substr(0, parts[0].size() + 1 + parts[1].size());
  if (!VerifySignature(*key, signed_part, signature)) {
    return Unauthenticated("signature does not verify");
  }
  auto payload = ParseJsonObject(payload_json);
  if (!payload.ok()) {
    return Unauthenticated("payload is not JSON");
  }
  VerifiedToken out;
  for (const auto& [name, value] : payload->fields()) {
    out.claims[name] = ClaimText(value);
  }
  out.issuer = StringField(*payload, "iss");
  if (out.issuer != policy_.issuer) {
    return Unauthenticated(absl::StrFormat("issuer '%s' is not '%s'", out.issuer, policy_.issuer));
  }
  bool audience_ok = false;
  if (auto aud = payload->fields().find("aud"); aud != payload->fields().end()) {
    if (aud->second.kind_case() == Value::kStringValue) {
      audience_ok = aud->second.string_value() == policy_.audience;
    } else if (aud->second.kind_case() == Value::kListValue) {
      for (const Value& a : aud->second.list_value().values()) {
        audience_ok = audience_ok || a.string_value() == policy_.audience;
      }
    }
  }
  if (!audience_ok) {
    return Unauthenticated(absl::StrFormat("audience is not '%s'", policy_.audience));
  }
  auto number = [&](const char* name) -> std::optional<double> {
    auto it = payload->fields().find(name);
    if (it == payload->fields().end() || it->second.kind_case() != Value::kNumberValue) {
      return std::nullopt;
    }
    return it->second.number_value();
  };
  const std::optional<double> exp = number("exp");
  if (!exp.has_value()) {
    return Unauthenticated("no expiry (exp)");
  }
  out.expiry = absl::FromUnixSeconds(static_cast<int64_t>(std::floor(*exp)));
  if (now > out.expiry + policy_.leeway) {
    return Unauthenticated(absl::StrCat("expired at ", absl::FormatTime(out.expiry)));
  }
  if (const std::optional<double> nbf = number("nbf"); nbf.has_value()) {
    const absl::Time not_before = absl::FromUnixSeconds(static_cast<int64_t>(std::floor(*nbf)));
    if (now + policy_.leeway < not_before) {
      return Unauthenticated(absl::StrCat("not valid before ", absl::FormatTime(not_before)));
    }
  }
  out.subject = StringField(*payload, "sub");
  if (out.subject.empty()) {
    return Unauthenticated("no subject (sub)");
  }
  return out;
}

void JwtVerifier::SetKeys(std::vector<Jwk> keys) {
  auto fresh = std::make_shared<const std::vector<Jwk>>(std::move(keys));
  absl::MutexLock lock(&mu_);
  keys_ = std::move(fresh);
}

}  // namespace ntm::gateway
