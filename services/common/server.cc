#include "services/common/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "services/common/channel.h"
#include "services/common/log.h"
#include "services/common/status.h"

namespace ntm {

void ServerOptions::Register(Flags& flags) {
  flags.AddString("listen", &listen, "gRPC address to listen on, host:port");
  flags.AddString("metrics_listen", &metrics_listen,
                  "HTTP address for Prometheus metrics (/metrics); empty to disable");
  flags.AddInt("worker_threads", &worker_threads,
               "threads for blocking work (database calls); size it like the database pool");
  flags.AddInt("max_queued", &max_queued,
               "calls that may wait for a worker before new ones get UNAVAILABLE");
  flags.AddInt("drain_seconds", &drain_seconds,
               "on SIGTERM, how long calls in flight may take to finish");
  flags.AddString("tls_cert_file", &tls_cert_file,
                  "PEM certificate chain: serve gRPC over TLS (plaintext when empty)");
  flags.AddString("tls_key_file", &tls_key_file, "PEM private key of tls_cert_file");
  flags.AddString("tls_client_ca_file", &tls_client_ca_file,
                  "PEM CA certificates that verify client certificates (mutual TLS)");
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::string WaitForTerminationSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  sigwait(&set, &sig);
  return sig == SIGTERM ? "SIGTERM" : "SIGINT";
}

ServiceHost::ServiceHost(std::string service_name, ServerOptions options)
    : service_name_(std::move(service_name)),
      options_(std::move(options)),
      metrics_(service_name_),
      executor_(options_.worker_threads, static_cast<size_t>(options_.max_queued)),
      runner_(&executor_, &metrics_),
      metrics_http_(&metrics_) {
  metrics_.AddGauge("ntm_executor_queued", "Calls waiting for a worker thread.",
                    [this] { return static_cast<double>(executor_.queued()); });
}

ServiceHost::~ServiceHost() { Shutdown(); }

void ServiceHost::AddService(grpc::Service* service, std::string full_name) {
  services_.emplace_back(service, std::move(full_name));
}

void ServiceHost::SetGenericService(grpc::CallbackGenericService* service,
                                    std::vector<std::string> full_names) {
  generic_ = service;
  generic_names_ = std::move(full_names);
}

namespace {

// Plaintext, TLS, or TLS with optional verified client certificates, from the options.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const ServerOptions& options) {
  if (options.tls_cert_file.empty() && options.tls_key_file.empty()) {
    if (!options.tls_client_ca_file.empty()) {
      return absl::InvalidArgumentError("tls_client_ca_file: needs tls_cert_file and tls_key_file");
    }
    return grpc::InsecureServerCredentials();
  }
  auto read = [](const char* flag, const std::string& path) -> absl::StatusOr<std::string> {
    if (path.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(flag, ": required with the other TLS file"));
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in || text.str().find("-----BEGIN") == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(flag, ": cannot read PEM from ", path));
    }
    return text.str();
  };
  NTM_ASSIGN_OR_RETURN(std::string cert, read("tls_cert_file", options.tls_cert_file));
  NTM_ASSIGN_OR_RETURN(std::string key, read("tls_key_file", options.tls_key_file));
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back({key, cert});
  if (!options.tls_client_ca_file.empty()) {
    NTM_ASSIGN_OR_RETURN(ssl.pem_root_certs,
                         read("tls_client_ca_file", options.tls_client_ca_file));
    ssl.client_certificate_request = GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
  } else {
    ssl.client_certificate_request = GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE;
  }
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

absl::Status ServiceHost::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  NTM_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                       ServerCredentials(options_));
  grpc::ServerBuilder builder;
  AllowKeepalivePings(builder);
  builder.AddListeningPort(options_.listen, credentials, &port_);
  for (auto& [service, name] : services_) {
    builder.RegisterService(service);
  }
  if (generic_ != nullptr) {
    builder.RegisterCallbackGenericService(generic_);
  }
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    return absl::UnavailableError(absl::StrCat("listen: cannot listen on ", options_.listen));
  }
  auto* health = server_->GetHealthCheckService();
  health->SetServingStatus("", true);
  for (auto& [service, name] : services_) {
    health->SetServingStatus(name, true);
  }
  for (const std::string& name : generic_names_) {
    health->SetServingStatus(name, true);
  }
  if (!options_.metrics_listen.empty()) {
    if (absl::Status s = metrics_http_.Start(options_.metrics_listen); !s.ok()) {
      server_->Shutdown();
      return s;
    }
  }
  log::Info("serving", {{"listen", options_.listen},
                        {"port", absl::StrCat(port_)},
                        {"metrics_port", absl::StrCat(metrics_http_.port())}});
  return absl::OkStatus();
}

void ServiceHost::Shutdown() {
  if (shut_down_) {
    return;
  }
  shut_down_ = true;
  if (server_ != nullptr) {
    server_->GetHealthCheckService()->Shutdown();
    log::Info("draining", {{"seconds", absl::StrCat(options_.drain_seconds)}});
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(options_.drain_seconds));
  }
  executor_.Shutdown();
  if (server_ != nullptr) {
    server_->Wait();
  }
  metrics_http_.Stop();
  log::Info("stopped");
}

}  // namespace ntm
