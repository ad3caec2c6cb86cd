// ntm-gateway: the only public entry. Authenticates callers, authorizes every call from the rule
// its contract carries, and forwards it to the service that implements it.
// Reads flags into options, builds the objects, serves until SIGTERM. Nothing else.
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/clock.h"
#include "services/common/flags.h"
#include "services/common/log.h"
#include "services/common/server.h"
#include "services/gateway/authz/served_services.h"
#include "services/gateway/proxy/proxy.h"

namespace {

struct Options {
  ntm::ServerOptions server;
  std::string assessment_backend = "127.0.0.1:50061";
  std::string principals;
  std::string dev_tokens_dir;
  std::string jwks_file;
  std::string jwt_issuer;
  std::string jwt_audience = "ntm-gateway";
  std::string log_level = "info";
};

int Fail(const absl::Status& s) {
  ntm::log::Error("cannot start", {{"error", s.ToString()}});
  return 1;
}

absl::StatusOr<std::string> ReadFile(const std::string& flag, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat(flag, ": cannot read ", path));
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Development tokens for the local run: one file <dir>/<principal>.token per principal, made once
// with 32 random bytes and readable by the owner only.
absl::StatusOr<std::map<std::string, std::string>> DevTokens(
    const std::string& dir, const ntm::gateway::StaticPrincipalRegistry& registry) {
  std::map<std::string, std::string> tokens;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::InvalidArgumentError(absl::StrCat("dev_tokens_dir: ", ec.message()));
  }
  std::random_device random;
  for (const auto& [id, principal] : registry.principals()) {
    const std::string path = absl::StrCat(dir, "/", id, ".token");
    std::string token;
    if (std::ifstream in(path); in) {
      std::getline(in, token);
    }
    if (token.empty()) {
      for (int i = 0; i < 8; ++i) {
        absl::StrAppendFormat(&token, "%08x", random());
      }
      token = absl::StrCat("dev-", token);
      std::ofstream(path, std::ios::trunc) << token << "\n";
      chmod(path.c_str(), 0600);
    }
    tokens[token] = id;
  }
  return tokens;
}

}  // namespace

int main(int argc, char** argv) {
  ntm::BlockTerminationSignals();
  Options o;
  o.server.listen = "127.0.0.1:50051";
  o.server.metrics_listen = "127.0.0.1:9451";
  ntm::Flags flags("ntm-gateway", "the public entry of the NTM services");
  o.server.Register(flags);
  flags.AddString("assessment_backend", &o.assessment_backend,
                  "host:port of the assessment service");
  flags.AddString("principals", &o.principals, "JSON file of the principals the gateway knows");
  flags.AddString("dev_tokens_dir", &o.dev_tokens_dir,
                  "local run only: make and accept a development token per principal here");
  flags.AddString("jwks_file", &o.jwks_file, "the OpenID Connect issuer's keys (JWKS JSON)");
  flags.AddString("jwt_issuer", &o.jwt_issuer, "the issuer bearer JWTs must name");
  flags.AddString("jwt_audience", &o.jwt_audience, "the audience bearer JWTs must name");
  flags.AddString("log_level", &o.log_level, "debug, info, warn or error");
  if (absl::Status s = flags.Parse(argc, argv); !s.ok()) {
    std::fprintf(stderr, "ntm-gateway: %s\n", std::string(s.message()).c_str());
    return 2;
  }
  if (flags.help_requested()) {
    std::fputs(flags.Usage().c_str(), stdout);
    return 0;
  }
  ntm::log::SetService("gateway");
  auto level = ntm::log::ParseLevel(o.log_level);
  if (!level.ok()) {
    return Fail(level.status());
  }
  ntm::log::SetLevel(*level);

  auto rules = ntm::gateway::RuleTable::Compile(ntm::gateway::ServedServiceDescriptors());
  if (!rules.ok()) {
    return Fail(rules.status());
  }
  if (o.principals.empty()) {
    return Fail(absl::InvalidArgumentError("principals: a principals file is required"));
  }
  auto principals_json = ReadFile("principals", o.principals);
  if (!principals_json.ok()) {
    return Fail(principals_json.status());
  }
  auto registry = ntm::gateway::StaticPrincipalRegistry::FromJson(*principals_json);
  if (!registry.ok()) {
    return Fail(registry.status());
  }
  std::map<std::string, std::string> dev_tokens;
  if (!o.dev_tokens_dir.empty()) {
    auto tokens = DevTokens(o.dev_tokens_dir, **registry);
    if (!tokens.ok()) {
      return Fail(tokens.status());
    }
    dev_tokens = *std::move(tokens);
    ntm::log::Warn("development tokens are accepted; never in production",
                   {{"dir", o.dev_tokens_dir}, {"tokens", absl::StrCat(dev_tokens.size())}});
  }
  std::unique_ptr<ntm::gateway::JwtVerifier> jwt;
  if (!o.jwks_file.empty()) {
    auto jwks_json = ReadFile("jwks_file", o.jwks_file);
    if (!jwks_json.ok()) {
      return Fail(jwks_json.status());
    }
    auto keys = ntm::gateway::ParseJwks(*jwks_json);
    if (!keys.ok()) {
      return Fail(keys.status());
    }
    if (o.jwt_issuer.empty()) {
      return Fail(absl::InvalidArgumentError("jwt_issuer: required with jwks_file"));
    }
    jwt = std::make_unique<ntm::gateway::JwtVerifier>(
        *keys, ntm::gateway::JwtPolicy{o.jwt_issuer, o.jwt_audience});
  }
  ntm::gateway::Authenticator authenticator(registry->get(), std::move(dev_tokens), std::move(jwt));
  ntm::gateway::RuleAuthorizer authorizer;
  auto assessment = grpc::CreateChannel(o.assessment_backend, grpc::InsecureChannelCredentials());
  ntm::gateway::DirectoryTargetResolver resolver(assessment);
  ntm::SystemClock clock;

  ntm::ServiceHost host("gateway", o.server);
  ntm::gateway::GatewayDeps deps;
  deps.rules = &*rules;
  deps.authenticator = &authenticator;
  deps.authorizer = &authorizer;
  deps.resolver = &resolver;
  deps.backends["assessment"] = assessment;
  std::vector<std::string> names;
  for (const auto& s : ntm::gateway::ServedServices()) {
    names.push_back(s.descriptor->full_name());
    for (int m = 0; m < s.descriptor->method_count(); ++m) {
      deps.backend_of_method[absl::StrCat("/", s.descriptor->full_name(), "/",
                                          s.descriptor->method(m)->name())] = s.backend;
    }
  }
  deps.executor = &host.executor();
  deps.metrics = &host.metrics();
  deps.clock = &clock;
  ntm::gateway::GatewayService service(std::move(deps));
  host.SetGenericService(&service, names);
  host.metrics().AddGauge("ntm_gateway_decisions_allowed_total", "Calls the authorizer allowed.",
                          [&] { return static_cast<double>(authorizer.allowed()); });
  host.metrics().AddGauge("ntm_gateway_decisions_denied_total", "Calls the authorizer denied.",
                          [&] { return static_cast<double>(authorizer.denied()); });
  if (absl::Status s = host.Start(); !s.ok()) {
    return Fail(s);
  }
  ntm::log::Info("gateway ready", {{"methods", absl::StrCat(rules->rules().size())},
                                   {"principals", absl::StrCat((*registry)->principals().size())},
                                   {"assessment_backend", o.assessment_backend}});
  const std::string sig = ntm::WaitForTerminationSignal();
  ntm::log::Info("signal received, shutting down", {{"signal", sig}});
  host.Shutdown();
  return 0;
}
