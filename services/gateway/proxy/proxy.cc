#include "services/gateway/proxy/proxy.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/dynamic_message.h"
#include "services/common/caller.h"
#include "services/common/log.h"
#include "services/common/status.h"

namespace ntm::gateway {
namespace {

std::string Metadata(const grpc::GenericCallbackServerContext& ctx, const char* key) {
  auto it = ctx.client_metadata().find(key);
  return it == ctx.client_metadata().end() ? std::string()
                                           : std::string(it->second.data(), it->second.size());
}

bool IsMutation(ntm::api::v1::Action a) { return a != ntm::api::v1::ACTION_READ; }

// Parses the raw request into a message of the method's input type.
std::unique_ptr<google::protobuf::Message> Parse(const CompiledRule& rule,
                                                 const grpc::ByteBuffer& buffer) {
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          rule.descriptor->input_type());
  std::unique_ptr<google::protobuf::Message> message(prototype->New());
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) {
    return nullptr;
  }
  std::string bytes;
  for (const auto& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  if (!message->ParseFromString(bytes)) {
    return nullptr;
  }
  return message;
}

class ProxyReactor final : public grpc::ServerGenericBidiReactor {
 public:
  ProxyReactor(const GatewayDeps* deps, grpc::GenericCallbackServerContext* ctx)
      : deps_(deps), ctx_(ctx), start_(absl::Now()) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Reply(absl::InvalidArgumentError("no request message"));
      return;
    }
    if (!deps_->executor->TrySubmit([this] { Handle(); })) {
      Reply(absl::UnavailableError("the gateway is overloaded; retry later"));
    }
  }

  void OnDone() override { delete this; }

 private:
  // Runs on the executor: look-ups may block.
  void Handle() {
    const std::string method = ctx_->method();
    const CompiledRule* rule = deps_->rules->Find(method);
    auto backend = deps_->backend_of_method.find(method);
    if (rule == nullptr || backend == deps_->backend_of_method.end()) {
      Reply(absl::UnimplementedError(absl::StrCat(method, " is not served by the gateway")));
      return;
    }
    Credentials credentials{Metadata(*ctx_, "authorization"), ""};
    auto auth = deps_->authenticator->Authenticate(credentials, deps_->clock->Now());
    if (!auth.ok()) {
      log::Warn("unauthenticated", {{"method", method}, {"error", auth.status().message()}});
      Reply(auth.status());
      return;
    }
    principal_ = auth->principal.id;
    std::unique_ptr<google::protobuf::Message> request = Parse(*rule, request_);
    if (request == nullptr) {
      Reply(absl::InvalidArgumentError("the request is not a valid protobuf message"));
      return;
    }
    auto facts = ExtractFacts(*rule, *request);
    if (!facts.ok()) {
      Reply(facts.status());
      return;
    }
    auto target = deps_->resolver->Resolve(auth->principal, *rule, *facts, *request);
    if (!target.ok()) {
      Reply(target.status());
      return;
    }
    const Decision decision = deps_->authorizer->Decide(auth->principal, *rule, *facts, *target);
    // The decision log: every denial and every allowed change (reads that pass are not logged).
    if (!decision.allowed || IsMutation(rule->rule.action())) {
      log::Info("decision", {{"outcome", decision.allowed ? "allowed" : "denied"},
                             {"principal", auth->principal.id},
                             {"method", method},
                             {"action", ntm::api::v1::Action_Name(rule->rule.action())},
                             {"unit", facts->unit_code},
                             {"indicators", absl::StrJoin(facts->indicators, ",")},
                             {"check", decision.check},
                             {"reason", decision.reason},
                             {"authenticated_by", auth->method}});
    }
    if (!decision.allowed) {
      Reply(absl::PermissionDeniedError(
          absl::StrCat("denied by rule '", decision.check, "': ", decision.reason)));
      return;
    }
    Forward(backend->second, auth->principal);
  }

  void Forward(const std::string& backend, const Principal& principal) {
    auto channel = deps_->backends.find(backend);
    if (channel == deps_->backends.end()) {
      Reply(absl::UnavailableError(absl::StrCat("backend ", backend, " is not configured")));
      return;
    }
    // Identity comes only from the gateway: what the caller sent under these keys is dropped,
    // because the backend context starts empty.
    client_.AddMetadata(kPrincipalHeader, principal.id);
    if (!principal.agency_id.empty()) {
      client_.AddMetadata(kAgencyHeader, absl::StrCat("agencies/", principal.agency_id));
    }
    const auto cap = std::chrono::system_clock::now() + absl::ToChronoSeconds(deps_->max_deadline);
    client_.set_deadline(std::min(ctx_->deadline(), cap));
    stub_ = std::make_unique<grpc::GenericStub>(channel->second);
    stub_->UnaryCall(&client_, ctx_->method(), grpc::StubOptions(), &request_, &response_,
                     [this](grpc::Status s) {
                       if (s.ok()) {
                         Record(absl::OkStatus());
                         StartWriteAndFinish(&response_, grpc::WriteOptions(), s);
                       } else {
                         Record(FromGrpcStatus(s));
                         Finish(s);
                       }
                     });
  }

  void Reply(const absl::Status& status) {
    Record(status);
    Finish(ToGrpcStatus(status));
  }

  void Record(const absl::Status& status) {
    deps_->metrics->Record(ctx_->method(), status.code(), absl::Now() - start_);
  }

  const GatewayDeps* deps_;
  grpc::GenericCallbackServerContext* ctx_;
  absl::Time start_;
  std::string principal_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  grpc::ClientContext client_;
  std::unique_ptr<grpc::GenericStub> stub_;
};

}  // namespace

grpc::ServerGenericBidiReactor* GatewayService::CreateReactor(
    grpc::GenericCallbackServerContext* ctx) {
  return new ProxyReactor(&deps_, ctx);
}

}  // namespace ntm::gateway
