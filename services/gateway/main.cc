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
#include "services/common/channel.h"
#include "services/common/clock.h"
#include "services/common/db/migrations.h"
#include "services/common/db/pool.h"
#include "services/common/flags.h"
#include "services/common/log.h"
#include "services/common/server.h"
#include "services/gateway/auth/jwks_source.h"
#include "services/gateway/gateway.h"

namespace {

struct Options {
  ntm::ServerOptions server;
  ntm::db::DbOptions db;
  int registry_refresh_seconds = 5;
  bool migrate_only = false;
  std::string assessment_backend = "127.0.0.1:50061";
  std::string plans_backend = "127.0.0.1:50062";
  std::string registrations_backend = "127.0.0.1:50063";
  std::string notifications_backend = "127.0.0.1:50064";
  std::string principals;
  std::string dev_tokens_dir;
  std::string jwks_file;
  std::string jwks_url;
  int jwks_refresh_seconds = 300;
  std::string jwt_issuer;
  std::string jwt_audience = "ntm-gateway";
  std::string http_listen = "127.0.0.1:8080";
  double rate_per_second = 20;
  double rate_burst = 40;
  double backend_timeout_seconds = 10;
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
    const std::string& dir, const std::vector<ntm::gateway::PrincipalRecord>& principals) {
  std::map<std::string, std::string> tokens;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::InvalidArgumentError(absl::StrCat("dev_tokens_dir: ", ec.message()));
  }
  std::random_device random;
  for (const auto& record : principals) {
    const std::string& id = record.principal.id;
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

// Registers the principals of a principals file that the database does not hold yet; principals
// already registered are left as they are (the API is where they change).
absl::Status SeedPrincipals(const std::string& path, ntm::gateway::AccessStore& store,
                            absl::Time now) {
  auto json = ReadFile("principals", path);
  if (!json.ok()) {
    return json.status();
  }
  auto file = ntm::gateway::StaticPrincipalRegistry::FromJson(*json);
  if (!file.ok()) {
    return file.status();
  }
  const std::vector<ntm::gateway::PrincipalRecord> records =
      ntm::gateway::PrincipalRecordsOf(**file);
  auto added = store.SeedPrincipals(records, now);
  if (!added.ok()) {
    return added.status();
  }
  ntm::log::Info("principals file read", {{"file", path},
                                          {"principals", absl::StrCat(records.size())},
                                          {"registered_now", absl::StrCat(*added)}});
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  ntm::BlockTerminationSignals();
  Options o;
  o.server.listen = "127.0.0.1:50051";
  o.server.metrics_listen = "127.0.0.1:9451";
  ntm::Flags flags("ntm-gateway", "the public entry of the NTM services");
  o.db.schema = "ntm_gateway";
  o.server.Register(flags);
  o.db.Register(flags);
  flags.AddBool("migrate_only", &o.migrate_only, "migrate and read the principals file, then exit");
  flags.AddInt("registry_refresh_seconds", &o.registry_refresh_seconds,
               "how often every replica re-reads the principal registry");
  flags.AddString("assessment_backend", &o.assessment_backend,
                  "host:port of the assessment service");
  flags.AddString("plans_backend", &o.plans_backend,
                  "host:port of the plans service (directives, plans)");
  flags.AddString("registrations_backend", &o.registrations_backend,
                  "host:port of the registrations service");
  flags.AddString("notifications_backend", &o.notifications_backend,
                  "host:port of the notifications service");
  flags.AddDouble("backend_timeout_seconds", &o.backend_timeout_seconds,
                  "how long a call waits for its service before the gateway answers UNAVAILABLE");
  flags.AddString("principals", &o.principals,
                  "JSON file of principals to register when not registered yet (first start)");
  flags.AddString("dev_tokens_dir", &o.dev_tokens_dir,
                  "local run only: make and accept a development token per principal here");
  flags.AddString("jwks_file", &o.jwks_file, "the OpenID Connect issuer's keys (JWKS JSON)");
  flags.AddString("jwks_url", &o.jwks_url,
                  "where to fetch the issuer's keys (JWKS) instead of jwks_file; https://");
  flags.AddInt("jwks_refresh_seconds", &o.jwks_refresh_seconds,
               "how often the keys of jwks_url are fetched again");
  flags.AddString("jwt_issuer", &o.jwt_issuer, "the issuer bearer JWTs must name");
  flags.AddString("jwt_audience", &o.jwt_audience, "the audience bearer JWTs must name");
  flags.AddString("http_listen", &o.http_listen,
                  "host:port of the JSON-over-HTTP listener; empty turns it off");
  flags.AddDouble("rate_per_second", &o.rate_per_second,
                  "calls per second each principal may make; 0 turns limiting off");
  flags.AddDouble("rate_burst", &o.rate_burst, "calls a principal may make at once");
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

  if (!(o.backend_timeout_seconds >= 0.1 && o.backend_timeout_seconds <= 300)) {
    return Fail(absl::InvalidArgumentError("backend_timeout_seconds: between 0.1 and 300"));
  }
  if (o.registry_refresh_seconds < 1) {
    return Fail(absl::InvalidArgumentError("registry_refresh_seconds: at least 1"));
  }
  o.db.pool_size = std::max(o.db.pool_size, 1);
  auto pool = ntm::db::ConnectionPool::Create(o.db);
  if (!pool.ok()) {
    return Fail(pool.status());
  }
  if (absl::Status s = ntm::db::ApplyMigrations(**pool, ntm::db::GatewayMigrations()); !s.ok()) {
    return Fail(s);
  }
  ntm::SystemClock clock;
  ntm::gateway::AccessStore store(pool->get());
  if (!o.principals.empty()) {
    if (absl::Status s = SeedPrincipals(o.principals, store, clock.Now()); !s.ok()) {
      return Fail(s);
    }
  }
  if (o.migrate_only) {
    ntm::log::Info("migrated; exiting as asked");
    return 0;
  }
  auto registry = ntm::gateway::DbPrincipalRegistry::Load(&store);
  if (!registry.ok()) {
    return Fail(registry.status());
  }
  (*registry)->StartRefresh(absl::Seconds(o.registry_refresh_seconds));
  ntm::gateway::GatewayOptions g;
  g.server = o.server;
  g.http.listen = o.http_listen;
  g.rate.per_second = o.rate_per_second;
  g.rate.burst = o.rate_burst;
  g.backend_timeout = absl::Seconds(o.backend_timeout_seconds);
  g.registry = registry->get();
  g.store = &store;
  if (!o.dev_tokens_dir.empty()) {
    auto tokens = DevTokens(o.dev_tokens_dir, (*registry)->All());
    if (!tokens.ok()) {
      return Fail(tokens.status());
    }
    g.dev_tokens = *std::move(tokens);
    ntm::log::Warn("development tokens are accepted; never in production",
                   {{"dir", o.dev_tokens_dir}, {"tokens", absl::StrCat(g.dev_tokens.size())}});
  }
  if (!o.jwks_file.empty() && !o.jwks_url.empty()) {
    return Fail(absl::InvalidArgumentError("jwks_url: give jwks_file or jwks_url, not both"));
  }
  ntm::gateway::JwtVerifier* verifier = nullptr;
  if (!o.jwks_file.empty() || !o.jwks_url.empty()) {
    if (o.jwt_issuer.empty()) {
      return Fail(absl::InvalidArgumentError("jwt_issuer: required with jwks_file or jwks_url"));
    }
    absl::StatusOr<std::vector<ntm::gateway::Jwk>> keys;
    if (!o.jwks_file.empty()) {
      auto jwks_json = ReadFile("jwks_file", o.jwks_file);
      if (!jwks_json.ok()) {
        return Fail(jwks_json.status());
      }
      keys = ntm::gateway::ParseJwks(*jwks_json);
    } else {
      if (o.jwks_refresh_seconds < 10) {
        return Fail(absl::InvalidArgumentError("jwks_refresh_seconds: at least 10"));
      }
      keys = ntm::gateway::FetchJwks(o.jwks_url, absl::Seconds(10));
    }
    if (!keys.ok()) {
      return Fail(keys.status());
    }
    g.jwt = std::make_unique<ntm::gateway::JwtVerifier>(
        *keys, ntm::gateway::JwtPolicy{o.jwt_issuer, o.jwt_audience});
    verifier = g.jwt.get();
  }
  g.backends["assessment"] = ntm::BackendChannel(o.assessment_backend);
  g.backends["plans"] = ntm::BackendChannel(o.plans_backend);
  g.backends["registrations"] = ntm::BackendChannel(o.registrations_backend);
  g.backends["notifications"] = ntm::BackendChannel(o.notifications_backend);
  g.clock = &clock;
  auto gateway = ntm::gateway::Gateway::Start(std::move(g));
  if (!gateway.ok()) {
    return Fail(gateway.status());
  }
  // Declared after the gateway, so it stops before the verifier it refreshes goes away.
  std::unique_ptr<ntm::gateway::JwksRefresher> refresher;
  if (!o.jwks_url.empty()) {
    refresher = std::make_unique<ntm::gateway::JwksRefresher>(o.jwks_url, verifier);
    refresher->Start(absl::Seconds(o.jwks_refresh_seconds));
  }
  ntm::log::Info("gateway ready",
                 {{"methods", absl::StrCat((*gateway)->rules().rules().size())},
                  {"principals", absl::StrCat((*registry)->All().size())},
                  {"grpc_port", absl::StrCat((*gateway)->grpc_port())},
                  {"http_port", absl::StrCat((*gateway)->http_port())},
                  {"assessment_backend", o.assessment_backend},
                  {"plans_backend", o.plans_backend},
                  {"registrations_backend", o.registrations_backend},
                  {"notifications_backend", o.notifications_backend},
                  {"backend_timeout", absl::StrCat(o.backend_timeout_seconds, "s")}});
  const std::string sig = ntm::WaitForTerminationSignal();
  ntm::log::Info("signal received, shutting down", {{"signal", sig}});
  (*gateway)->Shutdown();
  return 0;
}
