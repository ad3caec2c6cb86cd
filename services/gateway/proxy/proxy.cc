#include "services/gateway/proxy/proxy.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/auth_context.h>

#include <chrono>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "services/common/caller.h"
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

class ProxyReactor;

// The backend side of a server-streaming call: the one request goes out, each response is handed
// to the caller's side, which asks for the next once it has written it.
class StreamRelay final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  explicit StreamRelay(ProxyReactor* server) : server_(server) {}

  void Start(grpc::GenericStub* stub, const std::string& method, const std::string& request,
             const Principal& principal, std::chrono::system_clock::time_point deadline,
             std::shared_ptr<StreamRelay> self) {
    self_ = std::move(self);
    // Identity comes only from the gateway, as for unary calls.
    context_.AddMetadata(kPrincipalHeader, principal.id);
    if (!principal.agency_id.empty()) {
      context_.AddMetadata(kAgencyHeader, absl::StrCat("agencies/", principal.agency_id));
    }
    if (deadline != std::chrono::system_clock::time_point::max()) {
      context_.set_deadline(deadline);
    }
    grpc::Slice slice(request);
    request_ = grpc::ByteBuffer(&slice, 1);
    stub->PrepareBidiStreamingCall(&context_, method, grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartRead(&response_);
    StartCall();
  }

  // The caller's side wrote the last response: read the next.
  void ReadNext() { StartRead(&response_); }
  void Cancel() { context_.TryCancel(); }

  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  ProxyReactor* server_;
  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  std::shared_ptr<StreamRelay> self_;
};

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
    if (pipeline_->IsServerStreaming(input.method)) {
      Stream(input);
      return;
    }
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

  void Stream(const CallInput& input) {
    Principal principal;
    grpc::GenericStub* stub = nullptr;
    absl::Duration retry_after;
    if (absl::Status s = pipeline_->Authorize(input, &principal, &stub, &retry_after); !s.ok()) {
      pipeline_->RecordStream(input.method, ToGrpcStatus(s), absl::Now() - start_);
      Finish(ToGrpcStatus(s));
      return;
    }
    auto relay = std::make_shared<StreamRelay>(this);
    {
      absl::MutexLock lock(&mu_);
      relay_ = relay;
      if (cancelled_) {
        relay->Cancel();
      }
    }
    relay->Start(stub, input.method, input.request, principal, input.deadline, relay);
  }

 public:
  // From the relay: one response to write to the caller.
  void Deliver(const grpc::ByteBuffer& response) {
    stream_out_ = response;
    StartWrite(&stream_out_);
  }
  // From the relay: the backend ended the stream.
  void End(const grpc::Status& status) {
    pipeline_->RecordStream(ctx_->method(), status, absl::Now() - start_);
    Finish(status);
  }

  void OnWriteDone(bool ok) override {
    std::shared_ptr<StreamRelay> relay;
    {
      absl::MutexLock lock(&mu_);
      relay = relay_;
    }
    if (relay == nullptr) {
      return;
    }
    if (ok) {
      relay->ReadNext();
    } else {
      relay->Cancel();
    }
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    if (relay_ != nullptr) {
      relay_->Cancel();
    }
  }

 private:
  const CallPipeline* pipeline_;
  BoundedExecutor* executor_;
  grpc::GenericCallbackServerContext* ctx_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  grpc::ByteBuffer stream_out_;
  const absl::Time start_ = absl::Now();
  absl::Mutex mu_;
  std::shared_ptr<StreamRelay> relay_ ABSL_GUARDED_BY(mu_);
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

void StreamRelay::OnReadDone(bool ok) {
  if (ok) {
    server_->Deliver(response_);
  }
  // Not ok: the stream ended; OnDone follows with its status.
}

void StreamRelay::OnDone(const grpc::Status& status) {
  server_->End(status);
  self_.reset();  // may destroy this; nothing after
}

}  // namespace

grpc::ServerGenericBidiReactor* GatewayService::CreateReactor(
    grpc::GenericCallbackServerContext* ctx) {
  return new ProxyReactor(pipeline_, executor_, ctx);
}

}  // namespace ntm::gateway
