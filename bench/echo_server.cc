// ntm-bench-echo: the baseline of the benchmarks. A bare gRPC server (callback API, like the
// services) whose one method sends the request's payload back, with no executor hop, no database
// and no logging: what a call costs in this gRPC library and build before any application work.
//
//   ntm-bench-echo --listen=127.0.0.1:0
//
// Prints "port N" as the first line of stdout once it serves, then serves until SIGTERM or
// SIGINT.
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "ntm/bench/v1/echo.grpc.pb.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0",
          "gRPC address to listen on, host:port; port 0 picks a free one (printed on stdout)");

namespace {

namespace pb = ::ntm::bench::v1;

class EchoService final : public pb::EchoService::CallbackService {
 public:
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* ctx, const pb::EchoRequest* req,
                                 pb::EchoResponse* resp) override {
    resp->set_payload(req->payload());
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("a bare gRPC echo server, the baseline of bench/run");
  absl::ParseCommandLine(argc, argv);

  // Block the termination signals in every thread (gRPC's included, which start later) and
  // receive them with sigwait below, so shutdown runs in main and not in a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  EchoService service;
  grpc::ServerBuilder builder;
  int port = 0;
  const std::string listen = absl::GetFlag(FLAGS_listen);
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "ntm-bench-echo: cannot listen on %s\n", listen.c_str());
    return 1;
  }
  std::printf("port %d\n", port);
  std::fflush(stdout);

  int sig = 0;
  sigwait(&signals, &sig);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server->Wait();
  return 0;
}
