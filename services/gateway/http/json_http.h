// The gateway's JSON face, for agencies' systems that do not speak gRPC: every method the gateway
// serves also answers
//   POST /<package>.<Service>/<Method>
// with the request as JSON in protobuf's JSON mapping, authenticated the same way (the
// "Authorization: Bearer …" header), and goes through the same call pipeline. The answer is the
// response as JSON with status 200, or an error as JSON
//   {"code": 7, "status": "PERMISSION_DENIED", "message": "…"}
// with the HTTP status that matches the gRPC code (HttpStatusFor). GET /healthz answers 200.
#ifndef NTM_SERVICES_GATEWAY_HTTP_JSON_HTTP_H_
#define NTM_SERVICES_GATEWAY_HTTP_JSON_HTTP_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/gateway/proxy/pipeline.h"

struct MHD_Daemon;
struct MHD_Connection;

namespace ntm::gateway {

struct JsonHttpOptions {
  // "host:port"; port 0 picks a free one.
  std::string listen = "127.0.0.1:8080";
  // Connections served at once; more wait in the kernel's backlog.
  int max_connections = 256;
  // An idle connection is closed after this many seconds.
  int idle_timeout_seconds = 30;
  // Largest request body accepted (413 above it).
  size_t max_body_bytes = 4 << 20;
};

// The HTTP status for a gRPC code, as Google's HTTP mapping has it: 400 INVALID_ARGUMENT,
// FAILED_PRECONDITION and OUT_OF_RANGE; 401 UNAUTHENTICATED; 403 PERMISSION_DENIED; 404 NOT_FOUND;
// 409 ALREADY_EXISTS and ABORTED; 429 RESOURCE_EXHAUSTED; 499 CANCELLED; 501 UNIMPLEMENTED;
// 503 UNAVAILABLE; 504 DEADLINE_EXCEEDED; 500 otherwise.
int HttpStatusFor(grpc::StatusCode code);

// The JSON body of an error.
std::string ErrorJson(grpc::StatusCode code, absl::string_view message);

class JsonHttpServer {
 public:
  // The pipeline must outlive the server.
  JsonHttpServer(const CallPipeline* pipeline, JsonHttpOptions options);
  ~JsonHttpServer();

  absl::Status Start();
  int port() const { return port_; }
  // Stops accepting, lets calls in flight finish, closes the listener. Idempotent.
  void Stop();

  // Handles one complete request; public for the transport callback.
  struct Reply {
    int http_status = 200;
    std::string body;
    // Seconds for a Retry-After header; 0: none.
    int retry_after_seconds = 0;
  };
  Reply Handle(absl::string_view http_method, absl::string_view path,
               absl::string_view authorization, const std::string& body) const;
  const JsonHttpOptions& options() const { return options_; }

 private:
  const CallPipeline* pipeline_;
  const JsonHttpOptions options_;
  MHD_Daemon* daemon_ = nullptr;
  int port_ = 0;
};

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_HTTP_JSON_HTTP_H_
