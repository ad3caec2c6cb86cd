#include "services/assessment/client/assessment_client.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/log.h"
#include "services/common/status.h"

namespace ntm::assessment::client {
namespace {

namespace av1 = ::ntm::assessment::v1;

// "units/03424" -> "03424"; anything else is returned as is.
std::string CodeOf(const std::string& name) {
  absl::string_view v = name;
  absl::ConsumePrefix(&v, "units/");
  return std::string(v);
}

UnitInfo FromProto(const av1::Unit& u) {
  UnitInfo out;
  out.code = u.code();
  out.display_name = u.display_name();
  out.commune = u.level() == av1::UNIT_LEVEL_COMMUNE;
  out.parent_code = CodeOf(u.parent());
  return out;
}

}  // namespace

GrpcAssessmentClient::GrpcAssessmentClient(std::shared_ptr<grpc::Channel> channel,
                                           std::string target, absl::Duration timeout)
    : target_(std::move(target)),
      timeout_(timeout),
      directory_(av1::DirectoryService::NewStub(channel)),
      catalog_(av1::CatalogService::NewStub(channel)),
      assessments_(av1::AssessmentService::NewStub(channel)) {}

std::unique_ptr<grpc::ClientContext> GrpcAssessmentClient::Context(const Caller& caller) const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout_));
  ctx->AddMetadata(kPrincipalHeader, caller.principal);
  if (!caller.agency.empty()) {
    ctx->AddMetadata(kAgencyHeader, caller.agency);
  }
  return ctx;
}

absl::Status GrpcAssessmentClient::Outcome(const grpc::Status& status, const char* method) const {
  if (status.ok()) {
    return absl::OkStatus();
  }
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    log::Warn("assessment service unreachable",
              {{"target", target_}, {"method", method}, {"error", status.error_message()}});
    return absl::UnavailableError(absl::StrCat("the assessment service (", target_,
                                               ") cannot be reached: ", status.error_message(),
                                               "; nothing was changed, retry later"));
  }
  return FromGrpcStatus(status);
}

absl::StatusOr<UnitInfo> GrpcAssessmentClient::GetUnit(const Caller& caller,
                                                       const std::string& code) {
  av1::GetUnitRequest req;
  req.set_name(absl::StrCat("units/", code));
  av1::GetUnitResponse resp;
  auto ctx = Context(caller);
  NTM_RETURN_IF_ERROR(Outcome(directory_->GetUnit(ctx.get(), req, &resp), "GetUnit"));
  return FromProto(resp.unit());
}

absl::StatusOr<std::vector<UnitInfo>> GrpcAssessmentClient::ListCommunes(
    const Caller& caller, const std::string& parent_code) {
  return ListBelow(caller, parent_code, av1::UNIT_LEVEL_COMMUNE);
}

absl::StatusOr<std::vector<UnitInfo>> GrpcAssessmentClient::ListVillages(
    const Caller& caller, const std::string& commune_code) {
  return ListBelow(caller, commune_code, av1::UNIT_LEVEL_VILLAGE);
}

absl::StatusOr<std::vector<UnitInfo>> GrpcAssessmentClient::ListBelow(
    const Caller& caller, const std::string& parent_code, av1::UnitLevel level) {
  std::vector<UnitInfo> out;
  av1::ListUnitsRequest req;
  req.set_parent(absl::StrCat("units/", parent_code));
  req.set_level(level);
  req.set_page_size(1000);
  do {
    av1::ListUnitsResponse resp;
    auto ctx = Context(caller);
    NTM_RETURN_IF_ERROR(Outcome(directory_->ListUnits(ctx.get(), req, &resp), "ListUnits"));
    for (const av1::Unit& u : resp.units()) {
      out.push_back(FromProto(u));
    }
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  return out;
}

absl::StatusOr<std::set<std::string>> GrpcAssessmentClient::IndicatorCodes(
    const Caller& caller, const std::string& unit_code) {
  std::set<std::string> out;
  av1::ListCriteriaSetsRequest req;
  req.set_scope_unit(absl::StrCat("units/", unit_code));
  req.set_view(av1::CRITERIA_SET_VIEW_FULL);
  req.set_page_size(100);
  do {
    av1::ListCriteriaSetsResponse resp;
    auto ctx = Context(caller);
    NTM_RETURN_IF_ERROR(
        Outcome(catalog_->ListCriteriaSets(ctx.get(), req, &resp), "ListCriteriaSets"));
    for (const av1::CriteriaSet& set : resp.criteria_sets()) {
      for (const av1::Criterion& c : set.criteria()) {
        for (const av1::Indicator& i : c.indicators()) {
          out.insert(i.code());
        }
      }
    }
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  return out;
}

absl::StatusOr<std::optional<Standing>> GrpcAssessmentClient::LatestStanding(
    const Caller& caller, const std::string& unit_code) {
  av1::ListAssessmentsRequest list;
  list.set_parent(absl::StrCat("units/", unit_code));
  list.set_state(av1::ASSESSMENT_STATE_SUBMITTED);
  list.set_page_size(1);
  av1::ListAssessmentsResponse listed;
  auto ctx = Context(caller);
  NTM_RETURN_IF_ERROR(
      Outcome(assessments_->ListAssessments(ctx.get(), list, &listed), "ListAssessments"));
  if (listed.assessments().empty()) {
    return std::optional<Standing>();
  }
  const av1::Assessment& latest = listed.assessments(0);
  av1::GetCommuneStatusRequest req;
  req.set_unit(absl::StrCat("units/", unit_code));
  req.set_as_of_date(latest.as_of_date());
  av1::GetCommuneStatusResponse resp;
  ctx = Context(caller);
  NTM_RETURN_IF_ERROR(
      Outcome(assessments_->GetCommuneStatus(ctx.get(), req, &resp), "GetCommuneStatus"));
  Standing b;
  b.assessment = latest.name();
  b.criteria_set = resp.status().criteria_set();
  b.criteria_met = resp.status().criteria_met();
  b.criteria_total = resp.status().criteria_total();
  for (const av1::IndicatorStatus& i : resp.status().indicators()) {
    b.known.push_back(i.indicator_code());
    if (i.result() == av1::INDICATOR_RESULT_MET) {
      b.met.push_back(i.indicator_code());
    } else if (i.result() == av1::INDICATOR_RESULT_NOT_MET ||
               i.result() == av1::INDICATOR_RESULT_NO_DATA) {
      b.not_met.push_back(i.indicator_code());
    }
  }
  return std::optional<Standing>(std::move(b));
}

absl::StatusOr<std::set<std::string>> GrpcAssessmentClient::OwnedIndicators(
    const Caller& caller, const std::string& unit_code, const std::string& criteria_set,
    const std::string& agency) {
  av1::ListOwnershipsRequest req;
  req.set_unit(absl::StrCat("units/", unit_code));
  req.set_criteria_set(criteria_set);
  av1::ListOwnershipsResponse resp;
  auto ctx = Context(caller);
  NTM_RETURN_IF_ERROR(Outcome(directory_->ListOwnerships(ctx.get(), req, &resp), "ListOwnerships"));
  std::set<std::string> out;
  for (const av1::IndicatorOwner& o : resp.indicator_owners()) {
    if (o.agency() == agency) {
      out.insert(o.indicator_code());
    }
  }
  return out;
}

}  // namespace ntm::assessment::client
