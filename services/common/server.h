// Hosts a process's gRPC services: health checking, server reflection, metrics over HTTP, the
// bounded executor for blocking work, and a graceful drain when SIGTERM or SIGINT arrives.
#ifndef NTM_SERVICES_COMMON_SERVER_H_
#define NTM_SERVICES_COMMON_SERVER_H_

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/common/executor.h"
#include "services/common/flags.h"
#include "services/common/metrics.h"
#include "services/common/rpc.h"

namespace ntm {

struct ServerOptions {
  std::string listen = "127.0.0.1:0";
  std::string metrics_listen;  // empty: no metrics endpoint
  int worker_threads = 8;
  int max_queued = 1024;
  int drain_seconds = 10;
  // PEM files. With a certificate and key the listener speaks TLS; with client CAs too, a client
  // may present a certificate, which is then verified against them (mutual TLS). Clients without
  // a certificate are still served: they authenticate otherwise (bearer tokens).
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;

  // Registers --listen, --metrics_listen, --worker_threads, --max_queued, --drain_seconds,
  // --tls_cert_file, --tls_key_file, --tls_client_ca_file.
  void Register(Flags& flags);
};

// Blocks SIGTERM and SIGINT in the calling thread and in every thread it starts later, so that
// WaitForTerminationSignal can receive them. Call first thing in main().
void BlockTerminationSignals();
// Waits for SIGTERM or SIGINT; returns the signal's name.
std::string WaitForTerminationSignal();

class ServiceHost {
 public:
  ServiceHost(std::string service_name, ServerOptions options);
  ~ServiceHost();

  Metrics& metrics() { return metrics_; }
  BoundedExecutor& executor() { return executor_; }
  RpcRunner& runner() { return runner_; }

  // The services must outlive the host.
  void AddService(grpc::Service* service, std::string full_name);
  // A handler for every method no registered service implements (the gateway's proxy); the
  // names are reported SERVING by health checking. Must outlive the host.
  void SetGenericService(grpc::CallbackGenericService* service,
                         std::vector<std::string> full_names);

  // Binds and starts serving; health reports SERVING for every added service.
  absl::Status Start();
  int port() const { return port_; }
  int metrics_port() const { return metrics_http_.port(); }

  // Health reports NOT_SERVING, new calls are refused, calls in flight get up to drain_seconds
  // to finish, then queued blocking work completes. Idempotent.
  void Shutdown();

 private:
  const std::string service_name_;
  const ServerOptions options_;
  Metrics metrics_;
  BoundedExecutor executor_;
  RpcRunner runner_;
  MetricsHttpServer metrics_http_;
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  grpc::CallbackGenericService* generic_ = nullptr;
  std::vector<std::string> generic_names_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace ntm

#endif  // NTM_SERVICES_COMMON_SERVER_H_
