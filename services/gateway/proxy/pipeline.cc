#include "services/gateway/proxy/pipeline.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/message.h"
#include "services/common/caller.h"
#include "services/common/log.h"
#include "services/common/status.h"

namespace ntm::gateway {
namespace {

bool IsMutation(ntm::api::v1::Action a) { return a != ntm::api::v1::ACTION_READ; }

}  // namespace

std::string BufferBytes(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) {
    return bytes;
  }
  for (const auto& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return bytes;
}

// What stays alive while a forwarded call is in flight.
struct CallPipeline::Forwarded {
  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
};

CallPipeline::CallPipeline(GatewayDeps deps) : deps_(std::move(deps)) {
  for (const auto& [name, channel] : deps_.backends) {
    stubs_[name] = std::make_unique<grpc::GenericStub>(channel);
  }
}

absl::Status CallPipeline::Check(const CallInput& input, const CompiledRule& rule,
                                 Principal* principal, absl::Duration* retry_after) const {
  const absl::Time now = deps_.clock->Now();
  auto auth = deps_.authenticator->Authenticate(input.credentials, now);
  if (!auth.ok()) {
    log::Warn("unauthenticated", {{"method", input.method},
                                  {"transport", input.transport},
                                  {"error", auth.status().message()}});
    return auth.status();
  }
  *principal = auth->principal;
  if (deps_.rate_limiter != nullptr &&
      !deps_.rate_limiter->TryAcquire(principal->id, now, retry_after)) {
    log::Warn("rate limited", {{"principal", principal->id}, {"method", input.method}});
    return absl::ResourceExhaustedError(absl::StrFormat(
        "principal %s is over its limit of %g calls per second; retry in %d ms", principal->id,
        deps_.rate_limiter->limit().per_second, absl::ToInt64Milliseconds(*retry_after) + 1));
  }
  NTM_RETURN_IF_ERROR(input.request_error);
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          rule.descriptor->input_type());
  std::unique_ptr<google::protobuf::Message> request(prototype->New());
  if (!request->ParseFromString(input.request)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the request is not a valid ", rule.descriptor->input_type()->full_name()));
  }
  NTM_ASSIGN_OR_RETURN(RequestFacts facts, ExtractFacts(rule, *request));
  NTM_ASSIGN_OR_RETURN(TargetContext target,
                       deps_.resolver->Resolve(*principal, rule, facts, *request));
  const Decision decision = deps_.authorizer->Decide(*principal, rule, facts, target);
  if (!decision.allowed || IsMutation(rule.rule.action())) {
    DecisionRecord record;
    record.time = now;
    record.principal = principal->id;
    record.authenticated_by = auth->method;
    record.method = input.method;
    record.action = ntm::api::v1::Action_Name(rule.rule.action());
    record.unit_code = facts.unit_code;
    record.unit_chain = target.unit_chain;
    record.indicators = facts.indicators;
    record.criterion = facts.criterion;
    record.allowed = decision.allowed;
    record.check = decision.check;
    record.reason = decision.reason;
    record.transport = input.transport;
    if (absl::Status s = deps_.decisions->Append(record); !s.ok()) {
      log::Error("decision log append failed",
                 {{"method", input.method}, {"principal", principal->id}, {"error", s.ToString()}});
      if (decision.allowed) {
        return absl::UnavailableError(
            "the decision log cannot be written, so the change is not forwarded; retry later");
      }
    }
  }
  if (!decision.allowed) {
    return absl::PermissionDeniedError(
        absl::StrCat("denied by rule '", decision.check, "': ", decision.reason));
  }
  return absl::OkStatus();
}

void CallPipeline::Run(CallInput input, std::function<void(CallOutput)> done) const {
  const absl::Time start = absl::Now();
  auto finish = [this, start, method = input.method, done = std::move(done)](CallOutput out) {
    deps_.metrics->Record(method, static_cast<absl::StatusCode>(out.status.error_code()),
                          absl::Now() - start);
    done(std::move(out));
  };
  const CompiledRule* rule = deps_.rules->Find(input.method);
  auto backend = deps_.backend_of_method.find(input.method);
  if (rule == nullptr || backend == deps_.backend_of_method.end()) {
    finish({ToGrpcStatus(
        absl::UnimplementedError(absl::StrCat(input.method, " is not served by the gateway")))});
    return;
  }
  if (rule->descriptor->server_streaming()) {
    finish({ToGrpcStatus(
        absl::UnimplementedError(absl::StrCat(input.method, " is a stream: call it over gRPC")))});
    return;
  }
  Principal principal;
  CallOutput refused;
  if (absl::Status s = Check(input, *rule, &principal, &refused.retry_after); !s.ok()) {
    refused.status = ToGrpcStatus(s);
    finish(std::move(refused));
    return;
  }
  Forward(input, backend->second, principal, std::move(finish));
}

bool CallPipeline::IsServerStreaming(const std::string& method) const {
  const CompiledRule* rule = deps_.rules->Find(method);
  return rule != nullptr && rule->descriptor->server_streaming();
}

absl::Status CallPipeline::Authorize(const CallInput& input, Principal* principal,
                                     grpc::GenericStub** stub, absl::Duration* retry_after) const {
  const CompiledRule* rule = deps_.rules->Find(input.method);
  auto backend = deps_.backend_of_method.find(input.method);
  if (rule == nullptr || backend == deps_.backend_of_method.end()) {
    return absl::UnimplementedError(absl::StrCat(input.method, " is not served by the gateway"));
  }
  NTM_RETURN_IF_ERROR(Check(input, *rule, principal, retry_after));
  auto it = stubs_.find(backend->second);
  if (it == stubs_.end()) {
    return absl::UnavailableError(absl::StrCat("backend ", backend->second, " is not configured"));
  }
  *stub = it->second.get();
  return absl::OkStatus();
}

void CallPipeline::RecordStream(const std::string& method, const grpc::Status& status,
                                absl::Duration elapsed) const {
  deps_.metrics->Record(method, static_cast<absl::StatusCode>(status.error_code()), elapsed);
}

void CallPipeline::Forward(const CallInput& input, const std::string& backend,
                           const Principal& principal, std::function<void(CallOutput)> done) const {
  auto stub = stubs_.find(backend);
  if (stub == stubs_.end()) {
    done({ToGrpcStatus(
        absl::UnavailableError(absl::StrCat("backend ", backend, " is not configured")))});
    return;
  }
  auto call = std::make_shared<Forwarded>();
  // Identity comes only from the gateway: the backend context starts empty, so whatever the
  // caller sent under these keys is dropped.
  call->context.AddMetadata(kPrincipalHeader, principal.id);
  if (!principal.agency_id.empty()) {
    call->context.AddMetadata(kAgencyHeader, absl::StrCat("agencies/", principal.agency_id));
  }
  const auto cap = std::chrono::system_clock::now() +
                   std::chrono::duration_cast<std::chrono::system_clock::duration>(
                       absl::ToChronoMilliseconds(deps_.backend_timeout));
  // Whose limit ends the call: the caller's deadline is the caller's business (DEADLINE_EXCEEDED);
  // the gateway's own limit means the backend did not answer in time (UNAVAILABLE).
  const bool gateway_limit = cap < input.deadline;
  call->context.set_deadline(gateway_limit ? cap : input.deadline);
  grpc::Slice slice(input.request);
  call->request = grpc::ByteBuffer(&slice, 1);
  stub->second->UnaryCall(
      &call->context, input.method, grpc::StubOptions(), &call->request, &call->response,
      [call, backend, gateway_limit, timeout = deps_.backend_timeout,
       done = std::move(done)](grpc::Status s) {
        CallOutput out;
        if (gateway_limit && s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
          out.status = ToGrpcStatus(absl::UnavailableError(
              absl::StrCat("the ", backend, " service did not answer within ",
                           absl::FormatDuration(timeout), "; retry later")));
        } else {
          out.status = s;
        }
        if (s.ok()) {
          out.response = BufferBytes(call->response);
        }
        done(std::move(out));
      });
}

}  // namespace ntm::gateway
