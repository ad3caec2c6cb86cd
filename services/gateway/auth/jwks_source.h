// The OpenID Connect issuer's keys fetched from its JWKS URL (HTTPS; plain HTTP only on
// loopback), and fetched again every refresh interval so that a key rotation reaches the gateway
// without a restart. A failed refresh keeps the keys the gateway has, and says so in the log.
#ifndef NTM_SERVICES_GATEWAY_AUTH_JWKS_SOURCE_H_
#define NTM_SERVICES_GATEWAY_AUTH_JWKS_SOURCE_H_

#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/gateway/auth/jwt.h"

namespace ntm::gateway {

// GETs `url` and parses the JWKS it answers. UNAVAILABLE when the issuer cannot be reached or
// answers other than 200; INVALID_ARGUMENT for a URL that is neither https:// nor
// http://127.0.0.1 or http://localhost, or for a body that is not a usable JWKS.
absl::StatusOr<std::vector<Jwk>> FetchJwks(const std::string& url, absl::Duration timeout);

class JwksRefresher {
 public:
  // Both must outlive the refresher.
  JwksRefresher(std::string url, JwtVerifier* verifier)
      : url_(std::move(url)), verifier_(verifier) {}
  ~JwksRefresher();

  // Fetches now and replaces the verifier's keys; the error otherwise (keys unchanged).
  absl::Status RefreshNow();
  // Refreshes every `interval` in a background thread until destroyed.
  void Start(absl::Duration interval);

 private:
  const std::string url_;
  JwtVerifier* verifier_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_AUTH_JWKS_SOURCE_H_
