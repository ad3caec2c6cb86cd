#include "services/gateway/http/json_http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include <future>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/status.h"

namespace ntm::gateway {
namespace {

// One request being received: its body grows as libmicrohttpd hands over the upload.
struct Incoming {
  std::string body;
  bool too_large = false;
};

MHD_Result Send(MHD_Connection* connection, const JsonHttpServer::Reply& reply) {
  MHD_Response* response = MHD_create_response_from_buffer(
      reply.body.size(), const_cast<char*>(reply.body.data()), MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) {
    return MHD_NO;
  }
  MHD_add_response_header(response, "Content-Type", "application/json; charset=utf-8");
  if (reply.retry_after_seconds > 0) {
    MHD_add_response_header(response, "Retry-After",
                            absl::StrCat(reply.retry_after_seconds).c_str());
  }
  MHD_Result result =
      MHD_queue_response(connection, static_cast<unsigned int>(reply.http_status), response);
  MHD_destroy_response(response);
  return result;
}

MHD_Result OnRequest(void* cls, MHD_Connection* connection, const char* url, const char* method,
                     const char* /*version*/, const char* upload_data, size_t* upload_data_size,
                     void** con_cls) {
  auto* server = static_cast<JsonHttpServer*>(cls);
  if (*con_cls == nullptr) {
    *con_cls = new Incoming();
    return MHD_YES;
  }
  auto* incoming = static_cast<Incoming*>(*con_cls);
  if (*upload_data_size != 0) {
    if (incoming->body.size() + *upload_data_size > server->options().max_body_bytes) {
      incoming->too_large = true;
    } else {
      incoming->body.append(upload_data, *upload_data_size);
    }
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (incoming->too_large) {
    return Send(connection,
                {413, ErrorJson(grpc::StatusCode::INVALID_ARGUMENT,
                                absl::StrCat("the request body is larger than ",
                                             server->options().max_body_bytes, " bytes"))});
  }
  const char* authorization =
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  return Send(connection, server->Handle(method, url, authorization == nullptr ? "" : authorization,
                                         incoming->body));
}

void OnCompleted(void* /*cls*/, MHD_Connection* /*connection*/, void** con_cls,
                 MHD_RequestTerminationCode /*code*/) {
  delete static_cast<Incoming*>(*con_cls);
  *con_cls = nullptr;
}

}  // namespace

int HttpStatusFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    default:
      return 500;
  }
}

std::string ErrorJson(grpc::StatusCode code, absl::string_view message) {
  std::string out = absl::StrCat("{\"code\": ", static_cast<int>(code), ", \"status\": \"",
                                 absl::StatusCodeToString(static_cast<absl::StatusCode>(code)),
                                 "\", \"message\": \"");
  log::AppendJsonEscaped(out, message);
  out += "\"}\n";
  return out;
}

JsonHttpServer::JsonHttpServer(const CallPipeline* pipeline, JsonHttpOptions options)
    : pipeline_(pipeline), options_(std::move(options)) {}

JsonHttpServer::~JsonHttpServer() { Stop(); }

absl::Status JsonHttpServer::Start() {
  NTM_ASSIGN_OR_RETURN(auto host_port, SplitHostPort("http_listen", options_.listen));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(host_port.second));
  if (inet_pton(AF_INET, host_port.first.c_str(), &address.sin_addr) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("http_listen: '", host_port.first, "' is not an IPv4 address"));
  }
  daemon_ = MHD_start_daemon(
      MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0,
      nullptr, nullptr, &OnRequest, this, MHD_OPTION_SOCK_ADDR, &address,
      MHD_OPTION_CONNECTION_LIMIT, static_cast<unsigned int>(options_.max_connections),
      MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned int>(options_.idle_timeout_seconds),
      MHD_OPTION_NOTIFY_COMPLETED, &OnCompleted, nullptr, MHD_OPTION_END);
  if (daemon_ == nullptr) {
    return absl::UnavailableError(absl::StrCat("http_listen: cannot listen on ", options_.listen));
  }
  const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
  port_ = info == nullptr ? host_port.second : info->port;
  log::Info("http listening", {{"address", absl::StrCat(host_port.first, ":", port_)}});
  return absl::OkStatus();
}

void JsonHttpServer::Stop() {
  if (daemon_ != nullptr) {
    MHD_stop_daemon(daemon_);
    daemon_ = nullptr;
  }
}

JsonHttpServer::Reply JsonHttpServer::Handle(absl::string_view http_method, absl::string_view path,
                                             absl::string_view authorization,
                                             const std::string& body) const {
  if (path == "/healthz" && http_method == "GET") {
    return {200, "{\"status\": \"SERVING\"}\n"};
  }
  const CompiledRule* rule = pipeline_->rules().Find(path);
  if (rule == nullptr) {
    return {404, ErrorJson(grpc::StatusCode::NOT_FOUND,
                           absl::StrCat("no method ", path,
                                        "; call POST /<package>.<Service>/<Method>"))};
  }
  if (http_method != "POST") {
    return {405, ErrorJson(grpc::StatusCode::UNIMPLEMENTED,
                           absl::StrCat(path, " answers POST only, not ", http_method))};
  }
  CallInput input;
  input.method = std::string(path);
  input.credentials.authorization = std::string(authorization);
  input.transport = "http";
  {
    const google::protobuf::Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(
            rule->descriptor->input_type());
    std::unique_ptr<google::protobuf::Message> request(prototype->New());
    const std::string json = body.find_first_not_of(" \t\r\n") == std::string::npos ? "{}" : body;
    auto parsed = google::protobuf::util::JsonStringToMessage(json, request.get());
    if (!parsed.ok()) {
      input.request_error = absl::InvalidArgumentError(
          absl::StrCat("the body is not a JSON ", rule->descriptor->input_type()->full_name(), ": ",
                       std::string(parsed.message())));
    } else {
      input.request = request->SerializeAsString();
    }
  }
  std::promise<CallOutput> promise;
  std::future<CallOutput> answer = promise.get_future();
  pipeline_->Run(std::move(input),
                 [&promise](CallOutput out) { promise.set_value(std::move(out)); });
  CallOutput out = answer.get();
  if (!out.status.ok()) {
    Reply reply{HttpStatusFor(out.status.error_code()),
                ErrorJson(out.status.error_code(), out.status.error_message())};
    if (out.status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      reply.retry_after_seconds =
          static_cast<int>(absl::ToInt64Seconds(absl::Ceil(out.retry_after, absl::Seconds(1))));
      if (reply.retry_after_seconds < 1) {
        reply.retry_after_seconds = 1;
      }
    }
    return reply;
  }
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          rule->descriptor->output_type());
  std::unique_ptr<google::protobuf::Message> response(prototype->New());
  std::string json;
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = false;
  if (!response->ParseFromString(out.response) ||
      !google::protobuf::util::MessageToJsonString(*response, &json, print).ok()) {
    return {500, ErrorJson(grpc::StatusCode::INTERNAL,
                           "the service's answer cannot be written as JSON")};
  }
  json += "\n";
  return {200, std::move(json)};
}

}  // namespace ntm::gateway
