// Agencies' systems authenticate with client certificates: the gateway's gRPC listener over TLS,
// a certificate verified against the configured CA and its subject looked up in the registry.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "ntm/gateway/v1/access.grpc.pb.h"
#include "services/gateway/tests/gateway_env.h"
#include "services/gateway/tests/test_pki.h"
#include "tools/ntmctl/commands.h"

namespace ntm::gateway {
namespace {

using ntm::assessment::testing::ServiceEnv;
using ntm::gateway::testing::GatewayEnv;
using ntm::gateway::testing::GatewayEnvOptions;
using ntm::gateway::testing::KeyPair;
using ntm::gateway::testing::TestCa;
using ::testing::HasSubstr;
namespace av1 = ntm::assessment::v1;
namespace gv1 = ntm::gateway::v1;

constexpr char kSubject[] = "CN=bhxh-tam-duong-he-thong";

std::shared_ptr<grpc::Channel> ChannelWithCertificate(int port, const TestCa& server_ca,
                                                      const KeyPair& client) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = server_ca.cert_pem();
  ssl.pem_cert_chain = client.cert_pem;
  ssl.pem_private_key = client.key_pem;
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("localhost");
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port), grpc::SslCredentials(ssl),
                                   args);
}

std::unique_ptr<grpc::ClientContext> NoToken() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return ctx;
}

TEST(GatewayMtlsTest, AnAgencySystemWithARegisteredCertificatePushesItsIndicatorOnly) {
  TestCa ca("NTM test CA");
  const KeyPair server = ca.Server();
  GatewayEnvOptions options;
  options.tls_cert_pem = server.cert_pem;
  options.tls_key_pem = server.key_pem;
  options.tls_client_ca_pem = ca.cert_pem();
  options.tls_root_pem = ca.cert_pem();
  auto env = GatewayEnv::Start(options);
  ASSERT_NE(env, nullptr);

  // The standing office registers the social-insurance system's certificate (bearer token over
  // TLS, no client certificate).
  auto access = gv1::AccessService::NewStub(env->channel());
  gv1::UpdatePrincipalRequest update;
  update.mutable_principal()->set_id("tam-duong-bhxh");
  update.mutable_principal()->set_unit("units/106");
  update.mutable_principal()->set_certificate_subject(kSubject);
  update.mutable_update_mask()->add_paths("certificate_subject");
  gv1::UpdatePrincipalResponse updated;
  grpc::Status s =
      access->UpdatePrincipal(GatewayEnv::As("tam-duong-nnptnt").get(), update, &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();

  av1::CreateAssessmentRequest create;
  create.set_parent("units/03424");
  create.set_as_of_date("2023-12-31");
  av1::CreateAssessmentResponse created;
  ASSERT_TRUE(env->service()
                  .assessments()
                  .CreateAssessment(ServiceEnv::Context("setup").get(), create, &created)
                  .ok());

  auto system = av1::AssessmentService::NewStub(
      ChannelWithCertificate(env->grpc_port(), ca, ca.Client("bhxh-tam-duong-he-thong")));
  av1::SetIndicatorValuesRequest set;
  set.set_name(created.assessment().name());
  set.set_etag(created.assessment().etag());
  auto* v = set.add_values();
  v->set_indicator_code("15.1");
  v->set_number_value(96.5);
  av1::SetIndicatorValuesResponse out;
  s = system->SetIndicatorValues(NoToken().get(), set, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(env->service().QueryString(
                "SELECT supplied_by FROM assessment_values WHERE indicator_code = '15.1'"),
            "tam-duong-bhxh");
  EXPECT_EQ(env->GatewayQueryInt("SELECT COUNT(*) FROM decisions WHERE principal_id = "
                                 "'tam-duong-bhxh' AND authenticated_by = 'mtls' AND allowed"),
            1);

  // Not its indicator: refused, nothing stored.
  const std::string before = env->service().Snapshot();
  set.set_etag(out.assessment().etag());
  set.mutable_values(0)->set_indicator_code("15.4");
  s = system->SetIndicatorValues(NoToken().get(), set, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  EXPECT_EQ(env->service().Snapshot(), before);

  // A certificate of the right CA that nobody registered: UNAUTHENTICATED.
  auto stranger = av1::AssessmentService::NewStub(
      ChannelWithCertificate(env->grpc_port(), ca, ca.Client("ai-do")));
  av1::GetAssessmentRequest get;
  get.set_name(created.assessment().name());
  av1::GetAssessmentResponse got;
  s = stranger->GetAssessment(NoToken().get(), get, &got);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("CN=ai-do"));

  // A certificate of another CA, even with the registered subject: the handshake fails.
  TestCa other("another CA");
  auto forged = av1::AssessmentService::NewStub(
      ChannelWithCertificate(env->grpc_port(), ca, other.Client("bhxh-tam-duong-he-thong")));
  s = forged->GetAssessment(NoToken().get(), get, &got);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_EQ(env->service().Snapshot(), before);
}

// Officials reach a gateway that speaks TLS with ntmctl --ca-file (or --tls and the system's CAs).
TEST(GatewayTlsNtmctlTest, NtmctlCallsTheTlsGatewayTrustingTheGivenCa) {
  TestCa ca("NTM test CA");
  const KeyPair server = ca.Server();
  GatewayEnvOptions options;
  options.tls_cert_pem = server.cert_pem;
  options.tls_key_pem = server.key_pem;
  options.tls_root_pem = ca.cert_pem();
  auto env = GatewayEnv::Start(options);
  ASSERT_NE(env, nullptr);
  const std::string ca_file = ::testing::TempDir() + "/ntmctl-ca.pem";
  std::ofstream(ca_file) << ca.cert_pem();

  const auto run = [&](std::vector<std::string> args, std::string* out, std::string* err) {
    std::ostringstream o, e;
    ntm::ntmctl::Io io;
    io.out = &o;
    io.err = &e;
    io.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    args.insert(args.begin(), {absl::StrCat("--server=localhost:", env->grpc_port()),
                               absl::StrCat("--token=", GatewayEnv::Token("can-bo-ban-bo"))});
    const int code = ntm::ntmctl::RunNtmctl(args, io);
    *out = o.str();
    *err = e.str();
    return code;
  };
  std::string out, err;
  EXPECT_EQ(run({absl::StrCat("--ca-file=", ca_file), "units", "106"}, &out, &err), 0) << err;
  EXPECT_THAT(out, HasSubstr("Bản Bo"));
  EXPECT_EQ(run({absl::StrCat("--ca-file=", ca_file), "health"}, &out, &err), 0) << err;
  EXPECT_THAT(out, HasSubstr("SERVING"));

  // Plaintext to a TLS listener, or TLS trusting only the system's CAs: no connection.
  EXPECT_EQ(run({"--timeout=3", "units", "106"}, &out, &err), 1);
  EXPECT_THAT(err, HasSubstr("UNAVAILABLE"));
  EXPECT_EQ(run({"--timeout=3", "--tls", "units", "106"}, &out, &err), 1);
  EXPECT_THAT(err, HasSubstr("UNAVAILABLE"));
  // A file that holds no certificate is refused before any call.
  EXPECT_EQ(run({"--ca-file=/nonexistent/ca.pem", "units", "106"}, &out, &err), 2);
  EXPECT_THAT(err, HasSubstr("--ca-file"));
}

}  // namespace
}  // namespace ntm::gateway
