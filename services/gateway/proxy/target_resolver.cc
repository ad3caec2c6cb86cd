#include "services/gateway/proxy/target_resolver.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/caller.h"
#include "services/common/status.h"

namespace ntm::gateway {
namespace {

namespace v1 = ntm::assessment::v1;

std::unique_ptr<grpc::ClientContext> LookupContext() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  ctx->AddMetadata(kPrincipalHeader, "ntm-gateway");
  return ctx;
}

absl::Status Lookup(absl::string_view what, const grpc::Status& s) {
  if (s.ok()) {
    return absl::OkStatus();
  }
  if (s.error_code() == grpc::StatusCode::NOT_FOUND ||
      s.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
    return FromGrpcStatus(s);
  }
  return absl::UnavailableError(
      absl::StrCat("authorization lookup (", what, ") failed: ", s.error_message()));
}

}  // namespace

DirectoryTargetResolver::DirectoryTargetResolver(std::shared_ptr<grpc::Channel> assessment)
    : directory_(v1::DirectoryService::NewStub(assessment)),
      assessments_(v1::AssessmentService::NewStub(assessment)),
      catalog_(v1::CatalogService::NewStub(assessment)) {}

absl::StatusOr<std::vector<std::string>> DirectoryTargetResolver::Chain(const std::string& unit) {
  {
    absl::MutexLock lock(&mu_);
    if (auto it = chains_.find(unit); it != chains_.end()) {
      return it->second;
    }
  }
  std::vector<std::string> chain;
  std::string code = unit;
  while (!code.empty() && chain.size() < 16) {
    v1::GetUnitRequest req;
    req.set_name(absl::StrCat("units/", code));
    v1::GetUnitResponse resp;
    NTM_RETURN_IF_ERROR(Lookup("unit", directory_->GetUnit(LookupContext().get(), req, &resp)));
    chain.push_back(code);
    absl::string_view parent = resp.unit().parent();
    absl::ConsumePrefix(&parent, "units/");
    code = std::string(parent);
  }
  absl::MutexLock lock(&mu_);
  chains_[unit] = chain;
  return chain;
}

absl::StatusOr<std::string> DirectoryTargetResolver::CriteriaSetOf(
    const RequestFacts& facts, const google::protobuf::Message& request) {
  // The calls that touch indicators of an assessment name it; its criteria set is the one whose
  // ownership applies.
  const auto* field = request.GetDescriptor()->FindFieldByName("name");
  if (field == nullptr || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
    // Others (an urging) concern the unit now: the edition in force there this year, or else the
    // latest edition that applies there.
    v1::ListCriteriaSetsRequest req;
    req.set_scope_unit(absl::StrCat("units/", facts.unit_code));
    req.set_page_size(100);
    v1::ListCriteriaSetsResponse resp;
    NTM_RETURN_IF_ERROR(
        Lookup("catalog", catalog_->ListCriteriaSets(LookupContext().get(), req, &resp)));
    const int year = absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year();
    const v1::CriteriaSet* chosen = nullptr;
    for (const v1::CriteriaSet& set : resp.criteria_sets()) {
      if (set.first_year() <= year && year <= set.last_year()) {
        chosen = &set;
        break;
      }
      if (chosen == nullptr || set.first_year() > chosen->first_year()) {
        chosen = &set;
      }
    }
    if (chosen == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("authorization: no criteria set applies in units/", facts.unit_code));
    }
    return chosen->name();
  }
  v1::GetAssessmentRequest req;
  req.set_name(request.GetReflection()->GetString(request, field));
  v1::GetAssessmentResponse resp;
  NTM_RETURN_IF_ERROR(
      Lookup("assessment", assessments_->GetAssessment(LookupContext().get(), req, &resp)));
  return resp.assessment().criteria_set();
}

absl::StatusOr<TargetContext> DirectoryTargetResolver::Resolve(
    const Principal& principal, const CompiledRule& rule, const RequestFacts& facts,
    const google::protobuf::Message& request) {
  TargetContext target;
  if (facts.unit_code.empty()) {
    return target;
  }
  NTM_ASSIGN_OR_RETURN(target.unit_chain, Chain(facts.unit_code));
  if (!NeedsOwnership(principal, rule)) {
    return target;
  }
  NTM_ASSIGN_OR_RETURN(std::string set, CriteriaSetOf(facts, request));
  // The nearest unit of the chain with assignments decides, as in the assessment service.
  for (const std::string& unit : target.unit_chain) {
    v1::ListOwnershipsRequest req;
    req.set_unit(absl::StrCat("units/", unit));
    req.set_criteria_set(set);
    v1::ListOwnershipsResponse resp;
    NTM_RETURN_IF_ERROR(
        Lookup("ownership", directory_->ListOwnerships(LookupContext().get(), req, &resp)));
    if (resp.assignments().empty()) {
      continue;
    }
    for (const auto& o : resp.indicator_owners()) {
      absl::string_view agency = o.agency();
      absl::ConsumePrefix(&agency, "agencies/");
      target.owners[o.indicator_code()] = std::string(agency);
      if (o.criterion_code() == facts.criterion) {
        target.criterion_indicators.push_back(o.indicator_code());
      }
    }
    break;
  }
  return target;
}

}  // namespace ntm::gateway
