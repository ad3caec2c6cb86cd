#include "services/notifications/app/obligations.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/caller.h"
#include "services/common/log.h"
#include "services/common/status.h"

namespace ntm::notifications {
namespace {

namespace pv1 = ::ntm::plans::v1;
namespace rv1 = ::ntm::registrations::v1;

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

std::string Code(const std::string& unit) { return std::string(absl::StripPrefix(unit, "units/")); }

absl::Status Reached(const grpc::Status& s, const std::string& service, const std::string& target,
                     const char* method) {
  if (s.error_code() == grpc::StatusCode::UNAVAILABLE ||
      s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    log::Warn("service unreachable", {{"service", service},
                                      {"target", target},
                                      {"method", method},
                                      {"error", s.error_message()}});
    return absl::UnavailableError(absl::StrCat("the ", service, " service (", target,
                                               ") cannot be reached: ", s.error_message()));
  }
  return FromGrpcStatus(s);
}

}  // namespace

GrpcObligationSource::GrpcObligationSource(std::shared_ptr<grpc::Channel> plans,
                                           std::string plans_target,
                                           std::shared_ptr<grpc::Channel> registrations,
                                           std::string registrations_target, absl::Duration timeout,
                                           std::string principal)
    : plans_target_(std::move(plans_target)),
      registrations_target_(std::move(registrations_target)),
      timeout_(timeout),
      principal_(std::move(principal)),
      plans_(pv1::PlanService::NewStub(plans)),
      registrations_(rv1::RegistrationService::NewStub(registrations)) {}

absl::StatusOr<std::vector<UnitStanding>> GrpcObligationSource::Standing(
    const DirectiveInfo& directive, const std::string& deliverable) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout_));
  ctx.AddMetadata(kPrincipalHeader, principal_);
  std::vector<UnitStanding> out;
  if (deliverable == kPlan) {
    pv1::GetSubmissionStatusRequest req;
    req.set_directive(directive.name);
    pv1::GetSubmissionStatusResponse resp;
    NTM_RETURN_IF_ERROR(Reached(plans_->GetSubmissionStatus(&ctx, req, &resp), "plans",
                                plans_target_, "GetSubmissionStatus"));
    for (const pv1::UnitSubmission& u : resp.units()) {
      UnitStanding s;
      s.unit_code = Code(u.unit());
      s.display_name = u.unit_display_name();
      s.deadline = FromTimestamp(u.deadline());
      s.extended = u.extended();
      s.owes = u.status() == pv1::SUBMISSION_STATUS_NOT_STARTED ||
               u.status() == pv1::SUBMISSION_STATUS_DRAFT ||
               u.status() == pv1::SUBMISSION_STATUS_RETURNED;
      out.push_back(std::move(s));
    }
    return out;
  }
  if (deliverable == kRegistration) {
    rv1::GetRegistrationStatusRequest req;
    req.set_directive(directive.name);
    rv1::GetRegistrationStatusResponse resp;
    NTM_RETURN_IF_ERROR(Reached(registrations_->GetRegistrationStatus(&ctx, req, &resp),
                                "registrations", registrations_target_, "GetRegistrationStatus"));
    for (const rv1::UnitRegistration& u : resp.units()) {
      UnitStanding s;
      s.unit_code = Code(u.unit());
      s.display_name = u.unit_display_name();
      s.deadline = FromTimestamp(u.deadline());
      s.extended = s.deadline != directive.deadline;
      s.owes = u.state() != rv1::REGISTRATION_STATE_SUBMITTED &&
               u.state() != rv1::REGISTRATION_STATE_ACCEPTED;
      out.push_back(std::move(s));
    }
    return out;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown deliverable '", deliverable, "'"));
}

}  // namespace ntm::notifications
