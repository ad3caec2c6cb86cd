#include "services/plans/api/grpc_services.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/common/status.h"
#include "services/plans/api/convert.h"

namespace ntm::plans::api {
namespace {

constexpr int kListDirectivesDefault = 50;
constexpr int kListDirectivesMax = 100;
constexpr int kListPlansDefault = 50;
constexpr int kListPlansMax = 200;

}  // namespace

// ---- DirectiveService ----------------------------------------------------------------------

grpc::ServerUnaryReactor* DirectiveGrpcService::CreateDirective(
    grpc::CallbackServerContext* ctx, const pb::CreateDirectiveRequest* req,
    pb::CreateDirectiveResponse* resp) {
  return runner_->Run(
      ctx, "CreateDirective", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(std::string parent, ParseUnitName("parent", req->parent()));
        if (!req->has_directive()) {
          return InvalidField("directive", "required");
        }
        NTM_ASSIGN_OR_RETURN(Directive d, FromProto(req->directive(), "directive"));
        d.id = req->directive_id();
        d.issuing_unit_code = parent;
        absl::StatusOr<Directive> created = app_->CreateDirective(caller, std::move(d));
        if (absl::IsInvalidArgument(created.status())) {
          // The domain names "directive.id"; the request calls it directive_id.
          std::string message(created.status().message());
          if (absl::StartsWith(message, "directive.id:")) {
            message.replace(0, 12, "directive_id");
          }
          return absl::InvalidArgumentError(message);
        }
        NTM_RETURN_IF_ERROR(created.status());
        ToProto(*created, resp->mutable_directive());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* DirectiveGrpcService::GetDirective(grpc::CallbackServerContext* ctx,
                                                             const pb::GetDirectiveRequest* req,
                                                             pb::GetDirectiveResponse* resp) {
  return runner_->Run(ctx, "GetDirective", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(auto name, ParseDirectiveName("name", req->name()));
    NTM_ASSIGN_OR_RETURN(Directive d, app_->GetDirective(name.first, name.second));
    ToProto(d, resp->mutable_directive());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DirectiveGrpcService::ListDirectives(grpc::CallbackServerContext* ctx,
                                                               const pb::ListDirectivesRequest* req,
                                                               pb::ListDirectivesResponse* resp) {
  return runner_->Run(ctx, "ListDirectives", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string parent, ParseUnitName("parent", req->parent()));
    if (req->year() != 0 && (req->year() < 2000 || req->year() > 2100)) {
      return InvalidField("year", absl::StrCat(req->year(), " is not a year of the programme"));
    }
    NTM_ASSIGN_OR_RETURN(int size,
                         PageSize(req->page_size(), kListDirectivesDefault, kListDirectivesMax));
    int offset = 0;
    if (!req->page_token().empty()) {
      NTM_ASSIGN_OR_RETURN(std::string raw, DecodeToken(req->page_token()));
      if (!absl::SimpleAtoi(raw, &offset) || offset < 0 || offset > 1'000'000) {
        return InvalidField("page_token", "not a token this service issued");
      }
    }
    NTM_ASSIGN_OR_RETURN(std::vector<Directive> all, app_->ListDirectives(parent, req->year()));
    for (int i = offset; i < static_cast<int>(all.size()) && i < offset + size; ++i) {
      ToProto(all[i], resp->add_directives());
    }
    if (offset + size < static_cast<int>(all.size())) {
      resp->set_next_page_token(EncodeToken(absl::StrCat(offset + size)));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DirectiveGrpcService::ExtendDeadline(grpc::CallbackServerContext* ctx,
                                                               const pb::ExtendDeadlineRequest* req,
                                                               pb::ExtendDeadlineResponse* resp) {
  return runner_->Run(
      ctx, "ExtendDeadline", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(auto name, ParseDirectiveName("name", req->name()));
        NTM_ASSIGN_OR_RETURN(std::string unit, ParseUnitName("unit", req->unit()));
        NTM_ASSIGN_OR_RETURN(absl::Time deadline,
                             ParseDeadline("deadline", req->deadline(), req->has_deadline()));
        NTM_ASSIGN_OR_RETURN(int64_t version, ParseEtag(req->etag()));
        NTM_ASSIGN_OR_RETURN(
            Directive d,
            app_->ExtendDeadline(caller, name.first, name.second, unit, deadline,
                                 std::string(absl::StripAsciiWhitespace(req->reason())), version));
        ToProto(d, resp->mutable_directive());
        return absl::OkStatus();
      });
}

// ---- PlanService -------------------------------------------------------------------------

grpc::ServerUnaryReactor* PlanGrpcService::CreatePlan(grpc::CallbackServerContext* ctx,
                                                      const pb::CreatePlanRequest* req,
                                                      pb::CreatePlanResponse* resp) {
  return runner_->Run(ctx, "CreatePlan", [this, req, resp](const Caller& caller) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string unit, ParseUnitName("parent", req->parent()));
    NTM_ASSIGN_OR_RETURN(auto directive, ParseDirectiveName("directive", req->directive()));
    NTM_ASSIGN_OR_RETURN(PlanView v,
                         app_->CreatePlan(caller, unit, directive.first, directive.second));
    ToProto(v, true, resp->mutable_plan());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PlanGrpcService::GetPlan(grpc::CallbackServerContext* ctx,
                                                   const pb::GetPlanRequest* req,
                                                   pb::GetPlanResponse* resp) {
  return runner_->Run(ctx, "GetPlan", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(auto name, ParsePlanName("name", req->name()));
    NTM_ASSIGN_OR_RETURN(PlanView v, app_->GetPlan(name.first, name.second));
    ToProto(v, true, resp->mutable_plan());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PlanGrpcService::ListPlans(grpc::CallbackServerContext* ctx,
                                                     const pb::ListPlansRequest* req,
                                                     pb::ListPlansResponse* resp) {
  return runner_->Run(ctx, "ListPlans", [this, req, resp](const Caller&) -> absl::Status {
    PlanFilter filter;
    NTM_ASSIGN_OR_RETURN(filter.below_unit_code, ParseUnitName("parent", req->parent()));
    std::string issuer;
    if (!req->directive().empty()) {
      NTM_ASSIGN_OR_RETURN(auto directive, ParseDirectiveName("directive", req->directive()));
      issuer = directive.first;
      filter.directive_id = directive.second;
    }
    switch (req->state()) {
      case pb::PLAN_STATE_UNSPECIFIED:
        break;
      case pb::PLAN_STATE_DRAFT:
        filter.state = PlanState::kDraft;
        break;
      case pb::PLAN_STATE_SUBMITTED:
        filter.state = PlanState::kSubmitted;
        break;
      case pb::PLAN_STATE_RETURNED:
        filter.state = PlanState::kReturned;
        break;
      case pb::PLAN_STATE_ACCEPTED:
        filter.state = PlanState::kAccepted;
        break;
      default:
        return InvalidField("state", absl::StrCat(req->state(), " is not a PlanState"));
    }
    NTM_ASSIGN_OR_RETURN(int size, PageSize(req->page_size(), kListPlansDefault, kListPlansMax));
    std::string after;
    if (!req->page_token().empty()) {
      NTM_ASSIGN_OR_RETURN(after, DecodeToken(req->page_token()));
    }
    NTM_ASSIGN_OR_RETURN(std::vector<PlanView> plans,
                         app_->ListPlans(filter, issuer, after, size + 1));
    if (static_cast<int>(plans.size()) > size) {
      plans.resize(size);
      resp->set_next_page_token(EncodeToken(plans.back().plan.id));
    }
    for (const PlanView& v : plans) {
      ToProto(v, false, resp->add_plans());
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PlanGrpcService::UpdatePlan(grpc::CallbackServerContext* ctx,
                                                      const pb::UpdatePlanRequest* req,
                                                      pb::UpdatePlanResponse* resp) {
  return runner_->Run(ctx, "UpdatePlan", [this, req, resp](const Caller& caller) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(auto name, ParsePlanName("plan.name", req->plan().name()));
    NTM_ASSIGN_OR_RETURN(int64_t version, ParseEtag(req->etag()));
    if (req->update_mask().paths_size() == 0) {
      return InvalidField("update_mask",
                          "name the sections to replace, e.g. \"targets\", \"tasks\", \"funding\"");
    }
    const pb::Plan& in = req->plan();
    PlanUpdate update;
    for (const std::string& path : req->update_mask().paths()) {
      if (path == "status_summary") {
        update.status_summary = in.status_summary();
      } else if (path == "targets") {
        NTM_ASSIGN_OR_RETURN(update.targets, TargetsFromProto(in.targets(), "plan.targets"));
      } else if (path == "tasks") {
        NTM_ASSIGN_OR_RETURN(update.tasks, TasksFromProto(in.tasks(), "plan.tasks"));
      } else if (path == "funding") {
        NTM_ASSIGN_OR_RETURN(update.funding, FundingFromProto(in.funding(), "plan.funding"));
      } else if (path == "solutions") {
        update.solutions = in.solutions();
      } else if (path == "organisation") {
        update.organisation = in.organisation();
      } else {
        return InvalidField("update_mask",
                            absl::StrCat("'", path,
                                         "' cannot be changed; use status_summary, targets, "
                                         "tasks, funding, solutions or organisation"));
      }
    }
    NTM_ASSIGN_OR_RETURN(PlanView v,
                         app_->UpdatePlan(caller, name.first, name.second, update, version));
    ToProto(v, true, resp->mutable_plan());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PlanGrpcService::SubmitPlan(grpc::CallbackServerContext* ctx,
                                                      const pb::SubmitPlanRequest* req,
                                                      pb::SubmitPlanResponse* resp) {
  return runner_->Run(ctx, "SubmitPlan", [this, req, resp](const Caller& caller) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(auto name, ParsePlanName("name", req->name()));
    NTM_ASSIGN_OR_RETURN(int64_t version, ParseEtag(req->etag()));
    NTM_ASSIGN_OR_RETURN(PlanView v, app_->Transition(caller, name.first, name.second,
                                                      PlanAction::kSubmit, version, ""));
    ToProto(v, true, resp->mutable_plan());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PlanGrpcService::AcceptPlan(grpc::CallbackServerContext* ctx,
                                                      const pb::AcceptPlanRequest* req,
                                                      pb::AcceptPlanResponse* resp) {
  return runner_->Run(ctx, "AcceptPlan", [this, req, resp](const Caller& caller) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(auto name, ParsePlanName("name", req->name()));
    NTM_ASSIGN_OR_RETURN(int64_t version, ParseEtag(req->etag()));
    if (req->note().size() > 2000) {
      return InvalidField("note", "at most 2000 bytes");
    }
    NTM_ASSIGN_OR_RETURN(PlanView v, app_->Transition(caller, name.first, name.second,
                                                      PlanAction::kAccept, version, req->note()));
    ToProto(v, true, resp->mutable_plan());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PlanGrpcService::ReturnPlan(grpc::CallbackServerContext* ctx,
                                                      const pb::ReturnPlanRequest* req,
                                                      pb::ReturnPlanResponse* resp) {
  return runner_->Run(ctx, "ReturnPlan", [this, req, resp](const Caller& caller) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(auto name, ParsePlanName("name", req->name()));
    NTM_ASSIGN_OR_RETURN(int64_t version, ParseEtag(req->etag()));
    std::vector<std::string> reasons;
    for (int i = 0; i < req->reasons_size(); ++i) {
      absl::string_view r = absl::StripAsciiWhitespace(req->reasons(i));
      if (r.empty()) {
        return InvalidField(absl::StrCat("reasons[", i, "]"), "empty");
      }
      if (r.find('\n') != absl::string_view::npos) {
        return InvalidField(absl::StrCat("reasons[", i, "]"),
                            "one line per reason; give each point its own entry");
      }
      reasons.emplace_back(r);
    }
    if (reasons.empty()) {
      return InvalidField("reasons", "say why the plan is returned");
    }
    const std::string reason = absl::StrJoin(reasons, "\n");
    if (reason.size() > 2000) {
      return InvalidField("reasons", "at most 2000 bytes together");
    }
    NTM_ASSIGN_OR_RETURN(PlanView v, app_->Transition(caller, name.first, name.second,
                                                      PlanAction::kReturn, version, reason));
    ToProto(v, true, resp->mutable_plan());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PlanGrpcService::GetSubmissionStatus(
    grpc::CallbackServerContext* ctx, const pb::GetSubmissionStatusRequest* req,
    pb::GetSubmissionStatusResponse* resp) {
  return runner_->Run(ctx, "GetSubmissionStatus", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(auto directive, ParseDirectiveName("directive", req->directive()));
    NTM_ASSIGN_OR_RETURN(SubmissionStatusView view,
                         app_->GetSubmissionStatus(directive.first, directive.second));
    resp->set_directive(DirectiveName(directive.first, directive.second));
    ToTimestamp(view.as_of, resp->mutable_as_of());
    for (const UnitSubmissionView& row : view.units) {
      pb::UnitSubmission* out = resp->add_units();
      out->set_unit(absl::StrCat("units/", row.unit.unit_code));
      out->set_unit_display_name(row.unit.display_name);
      out->set_status(ToProto(row.status));
      ToTimestamp(row.deadline, out->mutable_deadline());
      out->set_deadline_local(LocalTime(row.deadline));
      out->set_extended(row.unit.extended_deadline.has_value());
      out->set_overdue(row.overdue);
      if (row.plan.has_value()) {
        out->set_plan(PlanName(row.plan->unit_code, row.plan->directive_id));
        if (row.plan->submitted_at.has_value()) {
          ToTimestamp(*row.plan->submitted_at, out->mutable_submit_time());
        }
        out->set_submitted_late(row.plan->submitted_late);
      }
    }
    for (const auto& [status, count] : view.counts) {
      pb::StatusCount* c = resp->add_counts();
      c->set_status(ToProto(status));
      c->set_count(count);
    }
    resp->set_overdue(view.overdue);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PlanGrpcService::GetDistrictPlanSummary(
    grpc::CallbackServerContext* ctx, const pb::GetDistrictPlanSummaryRequest* req,
    pb::GetDistrictPlanSummaryResponse* resp) {
  return runner_->Run(
      ctx, "GetDistrictPlanSummary", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(auto directive, ParseDirectiveName("directive", req->directive()));
        if (!req->agency().empty()) {
          absl::string_view id = req->agency();
          if (!absl::ConsumePrefix(&id, "agencies/") || id.empty()) {
            return InvalidField("agency", absl::StrCat("'", req->agency(),
                                                       "' is not an agency name like "
                                                       "\"agencies/tam-duong-yte\""));
          }
        }
        NTM_ASSIGN_OR_RETURN(PlanSummaryView view,
                             app_->Summary(caller, directive.first, directive.second,
                                           req->include_drafts(), req->agency()));
        resp->set_directive(DirectiveName(directive.first, directive.second));
        for (const std::string& code : view.unit_codes) {
          resp->add_plans(PlanName(code, directive.second));
        }
        for (const IndicatorTargetsView& row : view.indicators) {
          pb::IndicatorTargets* out = resp->add_indicators();
          out->set_indicator_code(row.indicator_code);
          out->set_focus(row.focus);
          for (const std::string& code : row.unit_codes) {
            out->add_units(absl::StrCat("units/", code));
          }
          out->set_reach_standard_count(row.reach_standard_count);
        }
        for (const auto& [group, amount] : view.by_group) {
          pb::GroupAmount* g = resp->add_funding_by_group();
          g->set_content_group(static_cast<pb::ContentGroup>(static_cast<int>(group)));
          g->set_amount_dong(amount);
        }
        for (const auto& [source, amount] : view.by_source) {
          pb::SourceAmount* s = resp->add_funding_by_source();
          s->set_source(static_cast<pb::FundingSource>(static_cast<int>(source)));
          s->set_amount_dong(amount);
        }
        resp->set_funding_total_dong(view.total_dong);
        resp->set_agency(view.agency);
        return absl::OkStatus();
      });
}

}  // namespace ntm::plans::api
