#include "services/assessment/api/grpc_services.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/assessment/api/convert.h"
#include "services/common/status.h"

namespace ntm::assessment::api {
namespace {

constexpr int kListSetsDefault = 50;
constexpr int kListSetsMax = 100;
constexpr int kListUnitsDefault = 200;
constexpr int kListUnitsMax = 1000;
constexpr int kListAssessmentsDefault = 100;
constexpr int kListAssessmentsMax = 500;

}  // namespace

// ---- CatalogService ------------------------------------------------------------------------

grpc::ServerUnaryReactor* CatalogGrpcService::ListCriteriaSets(
    grpc::CallbackServerContext* ctx, const pb::ListCriteriaSetsRequest* req,
    pb::ListCriteriaSetsResponse* resp) {
  return runner_->Run(ctx, "ListCriteriaSets", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(int size, PageSize(req->page_size(), kListSetsDefault, kListSetsMax));
    std::string scope;
    if (!req->scope_unit().empty()) {
      NTM_ASSIGN_OR_RETURN(scope, ParseUnitName("scope_unit", req->scope_unit()));
    }
    int offset = 0;
    if (!req->page_token().empty()) {
      NTM_ASSIGN_OR_RETURN(std::string raw, DecodeToken(req->page_token()));
      if (!absl::SimpleAtoi(raw, &offset) || offset < 0) {
        return InvalidField("page_token", "not a token this service issued");
      }
    }
    const bool full = req->view() == pb::CRITERIA_SET_VIEW_FULL;
    NTM_ASSIGN_OR_RETURN(std::vector<CriteriaSet> sets, app_->ListCriteriaSets(scope));
    for (int i = offset; i < static_cast<int>(sets.size()) && i < offset + size; ++i) {
      ToProto(sets[i], full, resp->add_criteria_sets());
    }
    if (offset + size < static_cast<int>(sets.size())) {
      resp->set_next_page_token(EncodeToken(absl::StrCat(offset + size)));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CatalogGrpcService::GetCriteriaSet(grpc::CallbackServerContext* ctx,
                                                             const pb::GetCriteriaSetRequest* req,
                                                             pb::GetCriteriaSetResponse* resp) {
  return runner_->Run(ctx, "GetCriteriaSet", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string id, ParseCriteriaSetName("name", req->name()));
    NTM_ASSIGN_OR_RETURN(CriteriaSetPtr set, app_->GetCriteriaSet(id));
    ToProto(*set, req->view() != pb::CRITERIA_SET_VIEW_BASIC, resp->mutable_criteria_set());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CatalogGrpcService::UpdateIndicator(grpc::CallbackServerContext* ctx,
                                                              const pb::UpdateIndicatorRequest* req,
                                                              pb::UpdateIndicatorResponse* resp) {
  return runner_->Run(
      ctx, "UpdateIndicator", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(auto name,
                             ParseIndicatorName("indicator.name", req->indicator().name()));
        if (req->update_mask().paths_size() == 0) {
          return InvalidField("update_mask", "name the fields to change, e.g. \"thresholds\"");
        }
        const pb::Indicator& in = req->indicator();
        IndicatorUpdate update;
        for (const std::string& path : req->update_mask().paths()) {
          if (path == "title_vi") {
            update.title_vi = in.title_vi();
          } else if (path == "title_en") {
            update.title_en = in.title_en();
          } else if (path == "unit") {
            update.unit = in.unit();
          } else if (path == "wording_verified") {
            update.wording_verified = in.wording_verified();
          } else if (path == "thresholds") {
            std::vector<Threshold> thresholds;
            for (int i = 0; i < in.thresholds_size(); ++i) {
              const pb::Threshold& t = in.thresholds(i);
              const std::string field = absl::StrCat("indicator.thresholds[", i, "]");
              Threshold d;
              d.year = t.year();
              if (t.has_value()) {
                NTM_ASSIGN_OR_RETURN(d.value, ToDecimal4(absl::StrCat(field, ".value"), t.value()));
                NTM_ASSIGN_OR_RETURN(d.status,
                                     FromProto(t.status(), absl::StrCat(field, ".status")));
              }
              thresholds.push_back(std::move(d));
            }
            if (thresholds.empty()) {
              return InvalidField("indicator.thresholds", "give at least one threshold");
            }
            update.thresholds = std::move(thresholds);
          } else {
            return InvalidField("update_mask", absl::StrCat("'", path,
                                                            "' cannot be changed; use title_vi, "
                                                            "title_en, unit, thresholds or "
                                                            "wording_verified"));
          }
        }
        NTM_ASSIGN_OR_RETURN(Indicator updated,
                             app_->UpdateIndicator(name.first, name.second, update, in.etag(),
                                                   req->source(), ActorFrom(caller)));
        ToProto(updated, name.first, resp->mutable_indicator());
        return absl::OkStatus();
      });
}

// ---- DirectoryService ----------------------------------------------------------------------

grpc::ServerUnaryReactor* DirectoryGrpcService::GetUnit(grpc::CallbackServerContext* ctx,
                                                        const pb::GetUnitRequest* req,
                                                        pb::GetUnitResponse* resp) {
  return runner_->Run(ctx, "GetUnit", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string code, ParseUnitName("name", req->name()));
    NTM_ASSIGN_OR_RETURN(UnitWithChildren u, app_->GetUnit(code));
    ToProto(u.unit, resp->mutable_unit());
    for (const Unit& c : u.children) {
      ToProto(c, resp->mutable_unit()->add_children());
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DirectoryGrpcService::ListUnits(grpc::CallbackServerContext* ctx,
                                                          const pb::ListUnitsRequest* req,
                                                          pb::ListUnitsResponse* resp) {
  return runner_->Run(ctx, "ListUnits", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(int size, PageSize(req->page_size(), kListUnitsDefault, kListUnitsMax));
    std::string parent;
    if (!req->parent().empty()) {
      NTM_ASSIGN_OR_RETURN(parent, ParseUnitName("parent", req->parent()));
    }
    NTM_ASSIGN_OR_RETURN(std::optional<UnitLevel> level, FromProto(req->level(), "level"));
    std::string after;
    if (!req->page_token().empty()) {
      NTM_ASSIGN_OR_RETURN(after, DecodeToken(req->page_token()));
    }
    NTM_ASSIGN_OR_RETURN(std::vector<Unit> units, app_->ListUnits(parent, level, after, size + 1));
    const bool more = static_cast<int>(units.size()) > size;
    if (more) {
      units.resize(size);
      resp->set_next_page_token(EncodeToken(units.back().code));
    }
    for (const Unit& u : units) {
      ToProto(u, resp->add_units());
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DirectoryGrpcService::CreateUnit(grpc::CallbackServerContext* ctx,
                                                           const pb::CreateUnitRequest* req,
                                                           pb::CreateUnitResponse* resp) {
  return runner_->Run(ctx, "CreateUnit", [this, req, resp](const Caller& caller) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string parent, ParseUnitName("parent", req->parent()));
    NTM_ASSIGN_OR_RETURN(std::optional<UnitLevel> level,
                         FromProto(req->unit().level(), "unit.level"));
    if (!level.has_value()) {
      return InvalidField("unit.level", "required, e.g. UNIT_LEVEL_VILLAGE");
    }
    Unit u;
    u.code = req->unit().code();
    u.display_name = req->unit().display_name();
    u.level = *level;
    u.kind = req->unit().kind();
    u.demo = req->unit().demo();
    NTM_ASSIGN_OR_RETURN(Unit created, app_->CreateUnit(parent, u, ActorFrom(caller)));
    ToProto(created, resp->mutable_unit());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DirectoryGrpcService::ListAgencies(grpc::CallbackServerContext* ctx,
                                                             const pb::ListAgenciesRequest* req,
                                                             pb::ListAgenciesResponse* resp) {
  return runner_->Run(ctx, "ListAgencies", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string unit, ParseUnitName("unit", req->unit()));
    NTM_ASSIGN_OR_RETURN(std::vector<Agency> agencies, app_->ListAgencies(unit));
    for (const Agency& a : agencies) {
      ToProto(a, resp->add_agencies());
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DirectoryGrpcService::ListOwnerships(grpc::CallbackServerContext* ctx,
                                                               const pb::ListOwnershipsRequest* req,
                                                               pb::ListOwnershipsResponse* resp) {
  return runner_->Run(ctx, "ListOwnerships", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string unit, ParseUnitName("unit", req->unit()));
    NTM_ASSIGN_OR_RETURN(std::string set,
                         ParseCriteriaSetName("criteria_set", req->criteria_set()));
    std::string agency;
    if (!req->agency().empty()) {
      NTM_ASSIGN_OR_RETURN(agency, ParseAgencyName("agency", req->agency()));
    }
    NTM_ASSIGN_OR_RETURN(OwnershipView view, app_->ListOwnerships(unit, set, agency));
    ToProto(view, resp->mutable_assignments(), resp->mutable_indicator_owners());
    resp->set_etag(Etag(view.ownership.version));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DirectoryGrpcService::UpdateOwnerships(
    grpc::CallbackServerContext* ctx, const pb::UpdateOwnershipsRequest* req,
    pb::UpdateOwnershipsResponse* resp) {
  return runner_->Run(
      ctx, "UpdateOwnerships", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(std::string unit, ParseUnitName("unit", req->unit()));
        NTM_ASSIGN_OR_RETURN(std::string set,
                             ParseCriteriaSetName("criteria_set", req->criteria_set()));
        std::vector<OwnershipAssignment> changes;
        for (int i = 0; i < req->assignments_size(); ++i) {
          const auto& a = req->assignments(i);
          OwnershipAssignment c;
          c.criterion_code = a.criterion_code();
          c.indicator_code = a.indicator_code();
          if (!a.agency().empty()) {
            NTM_ASSIGN_OR_RETURN(
                c.agency_id,
                ParseAgencyName(absl::StrCat("assignments[", i, "].agency"), a.agency()));
          }
          changes.push_back(std::move(c));
        }
        NTM_ASSIGN_OR_RETURN(
            OwnershipView view,
            app_->UpdateOwnerships(unit, set, changes, req->etag(), ActorFrom(caller)));
        ToProto(view, resp->mutable_assignments(), resp->mutable_indicator_owners());
        resp->set_etag(Etag(view.ownership.version));
        return absl::OkStatus();
      });
}

// ---- AssessmentService ---------------------------------------------------------------------

absl::Status AssessmentGrpcService::Fill(const Assessment& a, pb::Assessment* out) {
  auto set = app_->GetCriteriaSet(a.criteria_set_id);
  ToProto(a, set.ok() ? set->get() : nullptr, /*with_content=*/true, out);
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* AssessmentGrpcService::CreateAssessment(
    grpc::CallbackServerContext* ctx, const pb::CreateAssessmentRequest* req,
    pb::CreateAssessmentResponse* resp) {
  return runner_->Run(
      ctx, "CreateAssessment", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(std::string unit, ParseUnitName("parent", req->parent()));
        std::string set;
        if (!req->criteria_set().empty()) {
          NTM_ASSIGN_OR_RETURN(set, ParseCriteriaSetName("criteria_set", req->criteria_set()));
        }
        NTM_ASSIGN_OR_RETURN(Assessment a,
                             app_->CreateAssessment(unit, req->as_of_date(), set, req->request_id(),
                                                    RequestHash(*req), ActorFrom(caller)));
        return Fill(a, resp->mutable_assessment());
      });
}

grpc::ServerUnaryReactor* AssessmentGrpcService::GetAssessment(grpc::CallbackServerContext* ctx,
                                                               const pb::GetAssessmentRequest* req,
                                                               pb::GetAssessmentResponse* resp) {
  return runner_->Run(ctx, "GetAssessment", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(AssessmentKey key, ParseAssessmentName("name", req->name()));
    NTM_ASSIGN_OR_RETURN(Assessment a, app_->GetAssessment(key));
    return Fill(a, resp->mutable_assessment());
  });
}

grpc::ServerUnaryReactor* AssessmentGrpcService::ListAssessments(
    grpc::CallbackServerContext* ctx, const pb::ListAssessmentsRequest* req,
    pb::ListAssessmentsResponse* resp) {
  return runner_->Run(ctx, "ListAssessments", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string parent, ParseUnitName("parent", req->parent()));
    NTM_ASSIGN_OR_RETURN(int size,
                         PageSize(req->page_size(), kListAssessmentsDefault, kListAssessmentsMax));
    std::optional<absl::CivilDay> as_of;
    if (!req->as_of_date().empty()) {
      NTM_ASSIGN_OR_RETURN(as_of, ParseDate("as_of_date", req->as_of_date()));
    }
    std::optional<AssessmentState> state;
    if (req->state() == pb::ASSESSMENT_STATE_DRAFT) {
      state = AssessmentState::kDraft;
    } else if (req->state() == pb::ASSESSMENT_STATE_SUBMITTED) {
      state = AssessmentState::kSubmitted;
    } else if (req->state() != pb::ASSESSMENT_STATE_UNSPECIFIED) {
      return InvalidField("state", "unknown state");
    }
    std::optional<std::pair<absl::CivilDay, std::string>> after;
    if (!req->page_token().empty()) {
      NTM_ASSIGN_OR_RETURN(std::string raw, DecodeToken(req->page_token()));
      std::vector<std::string> parts = absl::StrSplit(raw, '|');
      absl::CivilDay day;
      if (parts.size() != 2 || !absl::ParseCivilTime(parts[0], &day)) {
        return InvalidField("page_token", "not a token this service issued");
      }
      after = std::make_pair(day, parts[1]);
    }
    NTM_ASSIGN_OR_RETURN(AssessmentPage page,
                         app_->ListAssessments(parent, as_of, state, size, after));
    for (const Assessment& a : page.assessments) {
      ToProto(a, nullptr, /*with_content=*/false, resp->add_assessments());
    }
    if (page.next.has_value()) {
      resp->set_next_page_token(
          EncodeToken(absl::StrCat(FormatDate(page.next->first), "|", page.next->second)));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AssessmentGrpcService::SetIndicatorValues(
    grpc::CallbackServerContext* ctx, const pb::SetIndicatorValuesRequest* req,
    pb::SetIndicatorValuesResponse* resp) {
  return runner_->Run(
      ctx, "SetIndicatorValues", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(AssessmentKey key, ParseAssessmentName("name", req->name()));
        std::vector<ValueInput> inputs;
        inputs.reserve(req->values_size());
        for (int i = 0; i < req->values_size(); ++i) {
          NTM_ASSIGN_OR_RETURN(ValueInput in,
                               FromProto(req->values(i), absl::StrCat("values[", i, "]")));
          inputs.push_back(std::move(in));
        }
        // The etag is left out of the hash: a retry that re-read the etag is the same request.
        pb::SetIndicatorValuesRequest identity = *req;
        identity.clear_etag();
        NTM_ASSIGN_OR_RETURN(Assessment a,
                             app_->SetIndicatorValues(key, inputs, req->etag(), req->request_id(),
                                                      RequestHash(identity), ActorFrom(caller)));
        return Fill(a, resp->mutable_assessment());
      });
}

grpc::ServerUnaryReactor* AssessmentGrpcService::SubmitAssessment(
    grpc::CallbackServerContext* ctx, const pb::SubmitAssessmentRequest* req,
    pb::SubmitAssessmentResponse* resp) {
  return runner_->Run(
      ctx, "SubmitAssessment", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(AssessmentKey key, ParseAssessmentName("name", req->name()));
        NTM_ASSIGN_OR_RETURN(Assessment a,
                             app_->SubmitAssessment(key, req->etag(), ActorFrom(caller)));
        return Fill(a, resp->mutable_assessment());
      });
}

grpc::ServerUnaryReactor* AssessmentGrpcService::ReviewCriterion(
    grpc::CallbackServerContext* ctx, const pb::ReviewCriterionRequest* req,
    pb::ReviewCriterionResponse* resp) {
  return runner_->Run(
      ctx, "ReviewCriterion", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(AssessmentKey key, ParseAssessmentName("name", req->name()));
        std::optional<Verdict> verdict;
        if (req->verdict() == pb::REVIEW_VERDICT_CONFIRMED) {
          verdict = Verdict::kConfirmed;
        } else if (req->verdict() == pb::REVIEW_VERDICT_DISPUTED) {
          verdict = Verdict::kDisputed;
        }
        NTM_ASSIGN_OR_RETURN(
            Assessment a, app_->ReviewCriterion(key, req->criterion_code(), verdict, req->reason(),
                                                req->etag(), ActorFrom(caller)));
        return Fill(a, resp->mutable_assessment());
      });
}

grpc::ServerUnaryReactor* AssessmentGrpcService::GetCommuneStatus(
    grpc::CallbackServerContext* ctx, const pb::GetCommuneStatusRequest* req,
    pb::GetCommuneStatusResponse* resp) {
  return runner_->Run(ctx, "GetCommuneStatus", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string unit, ParseUnitName("unit", req->unit()));
    std::optional<absl::CivilDay> as_of;
    if (!req->as_of_date().empty()) {
      NTM_ASSIGN_OR_RETURN(as_of, ParseDate("as_of_date", req->as_of_date()));
    }
    NTM_ASSIGN_OR_RETURN(CommuneStanding s, app_->GetCommuneStatus(unit, as_of));
    ToProto(s, resp->mutable_status());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AssessmentGrpcService::GetDistrictMatrix(
    grpc::CallbackServerContext* ctx, const pb::GetDistrictMatrixRequest* req,
    pb::GetDistrictMatrixResponse* resp) {
  return runner_->Run(ctx, "GetDistrictMatrix", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string unit, ParseUnitName("unit", req->unit()));
    if (req->as_of_date().empty()) {
      return InvalidField("as_of_date", "required, e.g. \"2023-12-31\"");
    }
    NTM_ASSIGN_OR_RETURN(absl::CivilDay as_of, ParseDate("as_of_date", req->as_of_date()));
    NTM_ASSIGN_OR_RETURN(DistrictMatrixView m, app_->GetDistrictMatrix(unit, as_of));
    ToProto(m, resp);
    return absl::OkStatus();
  });
}

}  // namespace ntm::assessment::api
