#include "services/gateway/proxy/proxy.h"

#include <grpcpp/security/auth_context.h>

#include "absl/strings/str_join.h"
#include "services/common/status.h"

namespace ntm::gateway {
namespace {

std::string Metadata(const grpc::GenericCallbackServerContext& ctx, const char* key) {
  auto it = ctx.client_metadata().find(key);
  return it == ctx.client_metadata().end() ? std::string()
                                           : std::string(it->second.data(), it->second.size());
}

// The subject of the client certificate the TLS layer verified; empty without one.
std::string CertificateSubject(const grpc::GenericCallbackServerContext& ctx) {
  std::shared_ptr<const grpc::AuthContext> auth = ctx.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) {
    return "";
  }
  std::vector<grpc::string_ref> subject = auth->FindPropertyValues("x509_subject");
  if (subject.empty()) {
    return "";
  }
  return std::string(subject.front().data(), subject.front().size());
}

class ProxyReactor final : public grpc::ServerGenericBidiReactor {
 public:
  ProxyReactor(const CallPipeline* pipeline, BoundedExecutor* executor,
               grpc::GenericCallbackServerContext* ctx)
      : pipeline_(pipeline), executor_(executor), ctx_(ctx) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(ToGrpcStatus(absl::InvalidArgumentError("no request message")));
      return;
    }
    if (!executor_->TrySubmit([this] { Handle(); })) {
      Finish(ToGrpcStatus(absl::UnavailableError("the gateway is overloaded; retry later")));
    }
  }

  void OnDone() override { delete this; }

 private:
  void Handle() {
    CallInput input;
    input.method = ctx_->method();
    input.credentials.authorization = Metadata(*ctx_, "authorization");
    input.credentials.certificate_subject = CertificateSubject(*ctx_);
    input.request = BufferBytes(request_);
    input.deadline = ctx_->deadline();
    input.transport = "grpc";
    pipeline_->Run(std::move(input), [this](CallOutput out) {
      if (!out.status.ok()) {
        Finish(out.status);
        return;
      }
      grpc::Slice slice(out.response);
      response_ = grpc::ByteBuffer(&slice, 1);
      StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    });
  }

  const CallPipeline* pipeline_;
  BoundedExecutor* executor_;
  grpc::GenericCallbackServerContext* ctx_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

}  // namespace

grpc::ServerGenericBidiReactor* GatewayService::CreateReactor(
    grpc::GenericCallbackServerContext* ctx) {
  return new ProxyReactor(pipeline_, executor_, ctx);
}

}  // namespace ntm::gateway
