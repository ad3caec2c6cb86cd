// Who is calling: turns a request's credentials into a principal of the registry, or refuses
// with UNAUTHENTICATED. Credentials, in order: a development token (local run only), a bearer JWT
// of the configured OpenID Connect issuer (its subject is the principal id), or the subject of a
// verified mutual-TLS client certificate (agencies' systems).
#ifndef NTM_SERVICES_GATEWAY_AUTH_AUTHENTICATOR_H_
#define NTM_SERVICES_GATEWAY_AUTH_AUTHENTICATOR_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/gateway/auth/jwt.h"
#include "services/gateway/authz/authorizer.h"

namespace ntm::gateway {

// The principals the gateway knows, by id and by certificate subject.
class PrincipalRegistry {
 public:
  virtual ~PrincipalRegistry() = default;
  virtual std::optional<Principal> Find(absl::string_view id) const = 0;
  virtual std::optional<Principal> FindByCertificateSubject(absl::string_view subject) const = 0;
};

// A registry held in memory, loaded from a JSON file of ntm.gateway principals:
//   {"principals": [{"id": "can-bo-ban-bo", "unit": "units/03424", "roles":
//   ["ROLE_COMMUNE_OFFICER"],
//                    "agency": "agencies/…", "certificate_subject": "CN=…", "active": true}]}
// Unknown keys, unknown roles, a principal without unit or role, and repeated ids are refused.
class StaticPrincipalRegistry final : public PrincipalRegistry {
 public:
  static absl::StatusOr<std::unique_ptr<StaticPrincipalRegistry>> FromJson(absl::string_view json);
  std::optional<Principal> Find(absl::string_view id) const override;
  std::optional<Principal> FindByCertificateSubject(absl::string_view subject) const override;
  const std::map<std::string, Principal, std::less<>>& principals() const { return by_id_; }
  // The certificate subject and the note ("" when absent) of a principal of the file.
  std::string CertificateSubjectOf(absl::string_view id) const;
  std::string NoteOf(absl::string_view id) const;

 private:
  std::map<std::string, Principal, std::less<>> by_id_;
  std::map<std::string, std::string, std::less<>> id_by_subject_;
  std::map<std::string, std::string, std::less<>> note_by_id_;
};

// What a call presented.
struct Credentials {
  // The value of the "authorization" metadata, e.g. "Bearer eyJ…"; empty when absent.
  std::string authorization;
  // The subject of the client certificate the TLS layer verified; empty without mutual TLS.
  std::string certificate_subject;
};

struct Authenticated {
  Principal principal;
  // "dev-token", "jwt" or "mtls", for the decision log.
  std::string method;
};

class Authenticator {
 public:
  // `dev_tokens` maps a development token to a principal id; leave it empty outside the local
  // run. `jwt` may be null when no issuer is configured.
  Authenticator(const PrincipalRegistry* registry, std::map<std::string, std::string> dev_tokens,
                std::unique_ptr<JwtVerifier> jwt)
      : registry_(registry), dev_tokens_(std::move(dev_tokens)), jwt_(std::move(jwt)) {}

  // UNAUTHENTICATED naming why: no credentials, a malformed header, an unknown or refused token,
  // a principal the registry does not know or has deactivated.
  absl::StatusOr<Authenticated> Authenticate(const Credentials& credentials, absl::Time now) const;

 private:
  absl::StatusOr<Authenticated> Known(absl::string_view id, absl::string_view method) const;

  const PrincipalRegistry* registry_;
  std::map<std::string, std::string> dev_tokens_;
  std::unique_ptr<JwtVerifier> jwt_;
};

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_AUTH_AUTHENTICATOR_H_
