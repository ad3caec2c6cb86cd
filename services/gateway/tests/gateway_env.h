// A real gateway for integration tests: the real assessment service on its own fresh schema (see
// services/assessment/tests/test_env.h), the real plans service on another (asking the assessment
// service), and in front of them the gateway as `ntm-gateway` builds
// it — its own fresh schema (principals, decision log), rules compiled from the contracts, the
// demo principals of Tam Đường registered from their file, the generic proxy — on 127.0.0.1 with
// a port the kernel picks. Every principal of the principals file gets the
// development token "tok-<principal id>".
#ifndef NTM_SERVICES_GATEWAY_TESTS_GATEWAY_ENV_H_
#define NTM_SERVICES_GATEWAY_TESTS_GATEWAY_ENV_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "services/assessment/tests/test_env.h"
#include "services/notifications/tests/notifications_env.h"
#include "services/plans/tests/plans_env.h"
#include "services/registrations/tests/registrations_env.h"

namespace ntm::gateway::testing {

struct GatewayEnvOptions {
  // The principals file, relative to the source tree.
  std::string principals_file = "data/demo/tam-duong-principals.json";
  // Calls per second and burst each principal may make; 0: no limit.
  double rate_per_second = 0;
  double rate_burst = 0;
  // PEM texts: with a server certificate and key the gRPC listener speaks TLS (channel() then
  // trusts tls_root_pem and expects the name "localhost"); with client CAs, mutual TLS.
  std::string tls_cert_pem;
  std::string tls_key_pem;
  std::string tls_client_ca_pem;
  std::string tls_root_pem;
  // With a JWKS document, bearer JWTs of `jwt_issuer` for audience "ntm-gateway" are accepted.
  std::string jwks_json;
  std::string jwt_issuer = "https://id.laichau.gov.vn";
  // Backend name ("plans", …) to a "host:port" the gateway uses instead of the real service
  // (e.g. a listener that never answers).
  std::map<std::string, std::string> backend_targets;
  // How long a forwarded call waits for its backend (GatewayOptions::backend_timeout).
  absl::Duration backend_timeout = absl::Seconds(10);
};

class GatewayEnv {
 public:
  // Fails the current test (ADD_FAILURE) and returns null when anything cannot be set up.
  static std::unique_ptr<GatewayEnv> Start(const GatewayEnvOptions& options = {});
  ~GatewayEnv();

  // The assessment service behind the gateway: call it directly (with ServiceEnv::Context) to
  // set up data, and take its Snapshot() to prove a refused call changed nothing.
  assessment::testing::ServiceEnv& service() { return *service_; }
  // The plans service behind the gateway (asking the assessment service above), likewise.
  plans::testing::PlansEnv& plans() { return *plans_; }
  // The registrations service behind the gateway (asking the two above), likewise.
  registrations::testing::RegistrationsEnv& registrations() { return *registrations_; }
  // The notifications service behind the gateway (asking the three above), likewise.
  notifications::testing::NotificationsEnv& notifications() { return *notifications_; }
  // A channel to the gateway's gRPC listener (without a client certificate).
  std::shared_ptr<grpc::Channel> channel() { return channel_; }
  int grpc_port() const { return grpc_port_; }
  // The gateway's JSON-over-HTTP listener on 127.0.0.1.
  int http_port() const;
  // Runs a query returning one integer on the gateway's own schema (principals, decisions).
  int64_t GatewayQueryInt(const std::string& sql);
  // Runs a statement on the gateway's own schema; the error as a status.
  absl::Status GatewayExec(const std::string& sql);

  // A context with a 10 s deadline and "authorization: Bearer tok-<principal>"; no credentials
  // when `principal` is empty.
  static std::unique_ptr<grpc::ClientContext> As(const std::string& principal);
  // The development token of a principal.
  static std::string Token(const std::string& principal) { return "tok-" + principal; }

  struct Impl;

 private:
  GatewayEnv() = default;
  std::unique_ptr<assessment::testing::ServiceEnv> service_;
  std::unique_ptr<plans::testing::PlansEnv> plans_;
  std::unique_ptr<registrations::testing::RegistrationsEnv> registrations_;
  std::unique_ptr<notifications::testing::NotificationsEnv> notifications_;
  std::unique_ptr<Impl> impl_;
  std::shared_ptr<grpc::Channel> channel_;
  int grpc_port_ = 0;
};

}  // namespace ntm::gateway::testing

#endif  // NTM_SERVICES_GATEWAY_TESTS_GATEWAY_ENV_H_
