// Verification of bearer JWTs from an OpenID Connect issuer: signature with a key of the
// issuer's JWKS (RS256 or ES256, the algorithm pinned by the key, never taken from the token
// alone; "none" never accepted), issuer, audience, expiry and not-before. Pure apart from
// OpenSSL: the time is passed in.
#ifndef NTM_SERVICES_GATEWAY_AUTH_JWT_H_
#define NTM_SERVICES_GATEWAY_AUTH_JWT_H_

#include <openssl/evp.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ntm::gateway {

// One verification key of a JWKS.
struct Jwk {
  std::string kid;
  std::string alg;  // "RS256" or "ES256"
  std::shared_ptr<EVP_PKEY> key;
};

// Parses a JWKS document ({"keys": [...]}) with RSA (n, e) and P-256 EC (x, y) keys. Keys of
// other types or algorithms are refused with INVALID_ARGUMENT naming the key.
absl::StatusOr<std::vector<Jwk>> ParseJwks(absl::string_view json);

struct JwtPolicy {
  std::string issuer;
  std::string audience;
  // Tolerance for clocks that disagree a little.
  absl::Duration leeway = absl::Seconds(30);
};

struct VerifiedToken {
  std::string subject;
  std::string issuer;
  absl::Time expiry;
  // Every claim, as JSON text values, for mapping to a principal.
  std::map<std::string, std::string> claims;
};

class JwtVerifier {
 public:
  JwtVerifier(std::vector<Jwk> keys, JwtPolicy policy)
      : keys_(std::make_shared<const std::vector<Jwk>>(std::move(keys))),
        policy_(std::move(policy)) {}

  // Replaces the key set (the issuer rotated its keys); calls in flight finish with the old one.
  void SetKeys(std::vector<Jwk> keys);

  // UNAUTHENTICATED with the reason (malformed, unknown key, algorithm, signature, issuer,
  // audience, expired, not yet valid, no subject) when the token is not acceptable at `now`.
  absl::StatusOr<VerifiedToken> Verify(absl::string_view token, absl::Time now) const;

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const std::vector<Jwk>> keys_ ABSL_GUARDED_BY(mu_);
  JwtPolicy policy_;
};

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_AUTH_JWT_H_
