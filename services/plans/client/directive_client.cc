#include "services/plans/client/directive_client.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/log.h"
#include "services/common/status.h"

namespace ntm::plans::client {
namespace {

namespace pv1 = ::ntm::plans::v1;

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

}  // namespace

GrpcDirectiveClient::GrpcDirectiveClient(std::shared_ptr<grpc::Channel> channel, std::string target,
                                         absl::Duration timeout)
    : target_(std::move(target)),
      timeout_(timeout),
      stub_(pv1::DirectiveService::NewStub(channel)) {}

absl::StatusOr<Directive> GrpcDirectiveClient::GetDirective(const Caller& caller,
                                                            const std::string& issuing_unit_code,
                                                            const std::string& id) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout_));
  ctx.AddMetadata(kPrincipalHeader, caller.principal);
  if (!caller.agency.empty()) {
    ctx.AddMetadata(kAgencyHeader, caller.agency);
  }
  pv1::GetDirectiveRequest req;
  req.set_name(absl::StrCat("units/", issuing_unit_code, "/directives/", id));
  pv1::GetDirectiveResponse resp;
  const grpc::Status s = stub_->GetDirective(&ctx, req, &resp);
  if (s.error_code() == grpc::StatusCode::UNAVAILABLE ||
      s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    log::Warn("plans service unreachable",
              {{"target", target_}, {"method", "GetDirective"}, {"error", s.error_message()}});
    return absl::UnavailableError(absl::StrCat("the plans service (", target_,
                                               ") cannot be reached: ", s.error_message(),
                                               "; nothing was changed, retry later"));
  }
  NTM_RETURN_IF_ERROR(FromGrpcStatus(s));
  const pv1::Directive& in = resp.directive();
  Directive d;
  d.id = id;
  d.issuing_unit_code = issuing_unit_code;
  d.document_number = in.document_number();
  absl::ParseCivilTime(in.issue_date(), &d.issued_on);
  d.year = in.year();
  d.deadline = FromTimestamp(in.deadline());
  for (int x : in.deliverables()) {
    d.deliverables.push_back(x == pv1::DELIVERABLE_PLAN ? Deliverable::kPlan
                                                        : Deliverable::kRegistration);
  }
  d.focus_indicators.assign(in.focus_indicators().begin(), in.focus_indicators().end());
  for (const pv1::AddressedUnit& u : in.addressed_units()) {
    AddressedUnit a;
    a.unit_code = std::string(absl::StripPrefix(u.unit(), "units/"));
    if (u.extended()) {
      a.extended_deadline = FromTimestamp(u.deadline());
      a.extension_reason = u.extension_reason();
      a.extended_by = u.extended_by();
    }
    d.units.push_back(std::move(a));
  }
  d.title = in.title();
  d.demo = in.demo();
  return d;
}

}  // namespace ntm::plans::client
