#include "services/gateway/gateway.h"

#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/gateway/authz/served_services.h"

namespace ntm::gateway {

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Start(GatewayOptions options) {
  if (options.registry == nullptr || options.store == nullptr || options.clock == nullptr) {
    return absl::InvalidArgumentError("gateway: store, registry and clock are required");
  }
  auto rules = RuleTable::Compile(ServedServiceDescriptors());
  if (!rules.ok()) {
    return rules.status();
  }
  std::unique_ptr<Gateway> g(new Gateway(std::move(*rules)));
  g->host_ = std::make_unique<ServiceHost>("gateway", options.server);
  auto assessment = options.backends.find("assessment");
  if (assessment == options.backends.end()) {
    return absl::FailedPreconditionError("no channel to backend 'assessment' (the directory)");
  }
  g->resolver_ = std::make_unique<DirectoryTargetResolver>(assessment->second);
  DirectoryTargetResolver* resolver = g->resolver_.get();
  g->access_ = std::make_unique<AccessGrpcService>(
      options.store, options.registry,
      [resolver](const std::string& unit) { return resolver->Chain(unit); }, options.clock,
      &g->host_->runner());
  grpc::ServerBuilder internal;
  internal.RegisterService(g->access_.get());
  g->internal_ = internal.BuildAndStart();
  if (g->internal_ == nullptr) {
    return absl::InternalError("the gateway's in-process server did not start");
  }
  options.backends["gateway"] = g->internal_->InProcessChannel(grpc::ChannelArguments());
  GatewayDeps deps;
  std::vector<std::string> names;
  for (const auto& s : ServedServices()) {
    if (options.backends.count(s.backend) == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("no channel to backend '", s.backend, "' of ", s.descriptor->full_name()));
    }
    names.push_back(s.descriptor->full_name());
    for (int m = 0; m < s.descriptor->method_count(); ++m) {
      deps.backend_of_method[absl::StrCat("/", s.descriptor->full_name(), "/",
                                          s.descriptor->method(m)->name())] = s.backend;
    }
  }
  g->authenticator_ = std::make_unique<Authenticator>(
      options.registry, std::move(options.dev_tokens), std::move(options.jwt));
  g->rate_limiter_ = std::make_unique<RateLimiter>(options.rate);

  deps.rules = &g->rules_;
  deps.authenticator = g->authenticator_.get();
  deps.authorizer = &g->authorizer_;
  deps.resolver = g->resolver_.get();
  deps.decisions = options.store;
  deps.rate_limiter = g->rate_limiter_.get();
  deps.backends = options.backends;
  deps.metrics = &g->host_->metrics();
  deps.clock = options.clock;
  deps.backend_timeout = options.backend_timeout;
  g->pipeline_ = std::make_unique<CallPipeline>(std::move(deps));
  g->service_ = std::make_unique<GatewayService>(g->pipeline_.get(), &g->host_->executor());
  g->host_->SetGenericService(g->service_.get(), names);
  Gateway* raw = g.get();
  g->host_->metrics().AddGauge("ntm_gateway_decisions_allowed_total",
                               "Calls the authorizer allowed.",
                               [raw] { return static_cast<double>(raw->authorizer_.allowed()); });
  g->host_->metrics().AddGauge("ntm_gateway_decisions_denied_total", "Calls the authorizer denied.",
                               [raw] { return static_cast<double>(raw->authorizer_.denied()); });
  g->host_->metrics().AddGauge(
      "ntm_gateway_rate_limited_total", "Calls refused because the principal was over its limit.",
      [raw] { return static_cast<double>(raw->rate_limiter_->refused()); });
  if (absl::Status s = g->host_->Start(); !s.ok()) {
    return s;
  }
  if (!options.http.listen.empty()) {
    g->http_ = std::make_unique<JsonHttpServer>(g->pipeline_.get(), options.http);
    if (absl::Status s = g->http_->Start(); !s.ok()) {
      g->host_->Shutdown();
      return s;
    }
  }
  return g;
}

Gateway::~Gateway() { Shutdown(); }

void Gateway::Shutdown() {
  if (http_ != nullptr) {
    http_->Stop();
  }
  if (host_ != nullptr) {
    host_->Shutdown();
  }
  if (internal_ != nullptr) {
    internal_->Shutdown();
  }
}

}  // namespace ntm::gateway
