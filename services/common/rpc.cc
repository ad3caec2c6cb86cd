#include "services/common/rpc.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/log.h"
#include "services/common/status.h"

namespace ntm {
namespace {

std::string Metadata(const grpc::CallbackServerContext& ctx, const char* key) {
  const auto& md = ctx.client_metadata();
  auto it = md.find(key);
  if (it == md.end()) {
    return "";
  }
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

Caller CallerFromContext(const grpc::CallbackServerContext& ctx) {
  Caller caller;
  if (std::string p = Metadata(ctx, kPrincipalHeader); !p.empty()) {
    caller.principal = std::move(p);
  }
  caller.agency = Metadata(ctx, kAgencyHeader);
  return caller;
}

void RpcRunner::Finish(grpc::ServerUnaryReactor* reactor, const std::string& method,
                       absl::Time start, const Caller& caller, const absl::Status& status) {
  const absl::Duration latency = absl::Now() - start;
  metrics_->Record(method, status.code(), latency);
  const std::string ms = absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(latency));
  const std::string code = absl::StatusCodeToString(status.code());
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown ||
      status.code() == absl::StatusCode::kDataLoss) {
    log::Error("call failed", {{"method", method},
                               {"code", code},
                               {"error", status.message()},
                               {"principal", caller.principal},
                               {"ms", ms}});
  } else if (!status.ok()) {
    log::Info("call refused", {{"method", method},
                               {"code", code},
                               {"error", status.message()},
                               {"principal", caller.principal},
                               {"ms", ms}});
  } else {
    log::Debug("call", {{"method", method}, {"principal", caller.principal}, {"ms", ms}});
  }
  reactor->Finish(ToGrpcStatus(status));
}

}  // namespace ntm
