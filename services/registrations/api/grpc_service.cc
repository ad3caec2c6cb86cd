#include "services/registrations/api/grpc_service.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/common/request.h"
#include "services/common/status.h"

namespace ntm::registrations::api {
namespace {

constexpr int kListDefault = 50;
constexpr int kListMax = 200;
constexpr char kDirectiveExample[] = "units/106/directives/tam-duong-2024";
constexpr char kRegistrationExample[] = "units/03424/registrations/tam-duong-2024";

std::string RegistrationName(const std::string& unit, const std::string& directive) {
  return absl::StrCat("units/", unit, "/registrations/", directive);
}
std::string DirectiveName(const std::string& issuer, const std::string& directive) {
  return absl::StrCat("units/", issuer, "/directives/", directive);
}

pb::RegistrationState ToProto(State s) {
  switch (s) {
    case State::kDraft:
      return pb::REGISTRATION_STATE_DRAFT;
    case State::kSubmitted:
      return pb::REGISTRATION_STATE_SUBMITTED;
    case State::kReturned:
      return pb::REGISTRATION_STATE_RETURNED;
    case State::kAccepted:
      return pb::REGISTRATION_STATE_ACCEPTED;
  }
  return pb::REGISTRATION_STATE_UNSPECIFIED;
}

void ToProto(const ModelPoint& m, pb::ModelPoint* out) {
  out->set_content(m.content);
  out->set_place(m.place);
  out->set_topic(m.topic);
  for (const std::string& c : m.indicator_codes) out->add_indicator_codes(c);
}

void ToProto(const RegistrationView& v, bool with_history, pb::Registration* out) {
  const Registration& r = v.registration;
  out->set_name(RegistrationName(r.unit_code, r.directive_id));
  out->set_directive(DirectiveName(r.issuing_unit_code, r.directive_id));
  out->set_unit(absl::StrCat("units/", r.unit_code));
  out->set_unit_display_name(r.unit_display_name);
  out->set_year(r.year);
  out->set_state(ToProto(r.state));
  if (r.content.model_point.has_value()) {
    ToProto(*r.content.model_point, out->mutable_model_point());
  }
  std::map<std::string, std::string> names;
  std::set<std::string> changed;
  for (const VillageChange& ch : r.content.changes) changed.insert(ch.village_code);
  for (const Village& village : r.villages) {
    names[village.code] = village.display_name;
    pb::VillageStatus* s = out->add_villages();
    s->set_village(absl::StrCat("units/", village.code));
    s->set_village_display_name(village.display_name);
    s->set_registered(changed.count(village.code) > 0);
  }
  for (const VillageChange& ch : r.content.changes) {
    pb::VillageChange* c = out->add_village_changes();
    c->set_village(absl::StrCat("units/", ch.village_code));
    c->set_village_display_name(names[ch.village_code]);
    c->set_content(ch.content);
    c->set_place(ch.place);
    for (const std::string& code : ch.indicator_codes) c->add_indicator_codes(code);
    c->set_last_year_state(ch.last_year_state);
    c->set_this_year_target(ch.this_year_target);
    if (auto it = v.previous.find(ch.village_code); it != v.previous.end()) {
      pb::PreviousChange* p = c->mutable_previous();
      p->set_year(it->second.year);
      p->set_content(it->second.change.content);
      p->set_this_year_target(it->second.change.this_year_target);
      const std::string& id = it->second.registration_id;
      p->set_registration(
          RegistrationName(id.substr(id.rfind('.') + 1), id.substr(0, id.rfind('.'))));
    }
  }
  for (const Endorsement& e : r.content.endorsements) {
    pb::Endorsement* o = out->add_endorsements();
    o->set_body(static_cast<pb::EndorsementBody>(static_cast<int>(e.body)));
    o->set_signed_by(e.signed_by);
    o->set_date(absl::FormatCivilTime(e.date));
  }
  if (v.deadline.has_value()) ToTimestamp(*v.deadline, out->mutable_deadline());
  if (r.submitted_at.has_value()) ToTimestamp(*r.submitted_at, out->mutable_submit_time());
  out->set_submitted_late(r.submitted_late);
  for (const std::string& m : v.missing) out->add_missing(m);
  out->set_created_by(r.created_by);
  ToTimestamp(r.created_at, out->mutable_create_time());
  out->set_updated_by(r.updated_by);
  ToTimestamp(r.updated_at, out->mutable_update_time());
  out->set_etag(Etag(r.version));
  if (with_history) {
    for (const Event& e : r.history) {
      pb::RegistrationEvent* h = out->add_history();
      h->set_action(e.action);
      h->set_from_state(ToProto(e.from));
      h->set_to_state(ToProto(e.to));
      h->set_actor(e.actor);
      ToTimestamp(e.at, h->mutable_time());
      h->set_reason(e.reason);
    }
  }
}

ModelPoint FromProto(const pb::ModelPoint& m) {
  return ModelPoint{
      m.content(), m.place(), m.topic(),
      std::vector<std::string>(m.indicator_codes().begin(), m.indicator_codes().end())};
}

absl::StatusOr<std::vector<VillageChange>> ChangesFromProto(const pb::Registration& in) {
  std::vector<VillageChange> out;
  for (int i = 0; i < in.village_changes_size(); ++i) {
    const pb::VillageChange& c = in.village_changes(i);
    NTM_ASSIGN_OR_RETURN(
        std::string code,
        ParseUnitName(absl::StrCat("registration.village_changes[", i, "].village"), c.village()));
    out.push_back(VillageChange{
        code, c.content(), c.place(),
        std::vector<std::string>(c.indicator_codes().begin(), c.indicator_codes().end()),
        c.last_year_state(), c.this_year_target()});
  }
  return out;
}

absl::StatusOr<std::vector<Endorsement>> EndorsementsFromProto(const pb::Registration& in) {
  std::vector<Endorsement> out;
  for (int i = 0; i < in.endorsements_size(); ++i) {
    const pb::Endorsement& e = in.endorsements(i);
    const std::string field = absl::StrCat("registration.endorsements[", i, "]");
    if (e.body() < pb::ENDORSEMENT_BODY_PARTY_COMMITTEE ||
        e.body() > pb::ENDORSEMENT_BODY_STEERING_COMMITTEE) {
      return InvalidField(absl::StrCat(field, ".body"),
                          "one of ENDORSEMENT_BODY_PARTY_COMMITTEE, _PEOPLES_COUNCIL, "
                          "_PEOPLES_COMMITTEE, _STEERING_COMMITTEE");
    }
    Endorsement d;
    d.body = static_cast<EndorsementBody>(static_cast<int>(e.body()));
    d.signed_by = e.signed_by();
    NTM_ASSIGN_OR_RETURN(d.date, ParseDate(absl::StrCat(field, ".date"), e.date()));
    out.push_back(std::move(d));
  }
  return out;
}

std::optional<State> StateFilter(pb::RegistrationState s) {
  switch (s) {
    case pb::REGISTRATION_STATE_DRAFT:
      return State::kDraft;
    case pb::REGISTRATION_STATE_SUBMITTED:
      return State::kSubmitted;
    case pb::REGISTRATION_STATE_RETURNED:
      return State::kReturned;
    case pb::REGISTRATION_STATE_ACCEPTED:
      return State::kAccepted;
    default:
      return std::nullopt;
  }
}

}  // namespace

grpc::ServerUnaryReactor* RegistrationGrpcService::CreateRegistration(
    grpc::CallbackServerContext* ctx, const pb::CreateRegistrationRequest* req,
    pb::CreateRegistrationResponse* resp) {
  return runner_->Run(
      ctx, "CreateRegistration", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(std::string unit, ParseUnitName("parent", req->parent()));
        NTM_ASSIGN_OR_RETURN(
            auto d, ParseChildName("directive", req->directive(), "directives", kDirectiveExample));
        NTM_ASSIGN_OR_RETURN(RegistrationView v, app_->Create(caller, unit, d.first, d.second));
        ToProto(v, true, resp->mutable_registration());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* RegistrationGrpcService::GetRegistration(
    grpc::CallbackServerContext* ctx, const pb::GetRegistrationRequest* req,
    pb::GetRegistrationResponse* resp) {
  return runner_->Run(
      ctx, "GetRegistration", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(
            auto n, ParseChildName("name", req->name(), "registrations", kRegistrationExample));
        NTM_ASSIGN_OR_RETURN(RegistrationView v, app_->Get(caller, n.first, n.second));
        ToProto(v, true, resp->mutable_registration());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* RegistrationGrpcService::ListRegistrations(
    grpc::CallbackServerContext* ctx, const pb::ListRegistrationsRequest* req,
    pb::ListRegistrationsResponse* resp) {
  return runner_->Run(ctx, "ListRegistrations", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string below, ParseUnitName("parent", req->parent()));
    std::string directive;
    if (!req->directive().empty()) {
      NTM_ASSIGN_OR_RETURN(
          auto d, ParseChildName("directive", req->directive(), "directives", kDirectiveExample));
      directive = d.second;
    }
    if (req->state() != pb::REGISTRATION_STATE_UNSPECIFIED && !StateFilter(req->state())) {
      return InvalidField("state", absl::StrCat(req->state(), " is not a RegistrationState"));
    }
    NTM_ASSIGN_OR_RETURN(int size, PageSize(req->page_size(), kListDefault, kListMax));
    std::string after;
    if (!req->page_token().empty()) {
      NTM_ASSIGN_OR_RETURN(after, DecodeToken(req->page_token()));
    }
    NTM_ASSIGN_OR_RETURN(std::vector<RegistrationView> regs,
                         app_->List(directive, below, StateFilter(req->state()), after, size + 1));
    if (static_cast<int>(regs.size()) > size) {
      regs.resize(size);
      resp->set_next_page_token(EncodeToken(regs.back().registration.id));
    }
    for (const RegistrationView& v : regs) {
      ToProto(v, false, resp->add_registrations());
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* RegistrationGrpcService::UpdateRegistration(
    grpc::CallbackServerContext* ctx, const pb::UpdateRegistrationRequest* req,
    pb::UpdateRegistrationResponse* resp) {
  return runner_->Run(
      ctx, "UpdateRegistration", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(auto n, ParseChildName("registration.name", req->registration().name(),
                                                    "registrations", kRegistrationExample));
        NTM_ASSIGN_OR_RETURN(int64_t version, ParseEtag(req->etag()));
        if (req->update_mask().paths_size() == 0) {
          return InvalidField(
              "update_mask",
              "name the parts to replace: model_point, village_changes, endorsements");
        }
        const pb::Registration& in = req->registration();
        RegistrationUpdate update;
        for (const std::string& path : req->update_mask().paths()) {
          if (path == "model_point") {
            update.model_point = in.has_model_point()
                                     ? std::optional<ModelPoint>(FromProto(in.model_point()))
                                     : std::nullopt;
          } else if (path == "village_changes") {
            NTM_ASSIGN_OR_RETURN(update.changes, ChangesFromProto(in));
          } else if (path == "endorsements") {
            NTM_ASSIGN_OR_RETURN(update.endorsements, EndorsementsFromProto(in));
          } else {
            return InvalidField("update_mask", absl::StrCat("'", path,
                                                            "' cannot be changed; use model_point, "
                                                            "village_changes or endorsements"));
          }
        }
        NTM_ASSIGN_OR_RETURN(RegistrationView v,
                             app_->Update(caller, n.first, n.second, update, version));
        ToProto(v, true, resp->mutable_registration());
        return absl::OkStatus();
      });
}

namespace {

// The reasons of a return, one line each.
absl::StatusOr<std::string> Reasons(const google::protobuf::RepeatedPtrField<std::string>& in) {
  std::vector<std::string> reasons;
  for (int i = 0; i < in.size(); ++i) {
    absl::string_view r = absl::StripAsciiWhitespace(in.Get(i));
    if (r.empty() || r.find('\n') != absl::string_view::npos) {
      return InvalidField(absl::StrCat("reasons[", i, "]"), "one non-empty line per reason");
    }
    reasons.emplace_back(r);
  }
  if (reasons.empty()) {
    return InvalidField("reasons", "say why the registration is returned");
  }
  std::string joined = absl::StrJoin(reasons, "\n");
  if (joined.size() > 2000) {
    return InvalidField("reasons", "at most 2000 bytes together");
  }
  return joined;
}

}  // namespace

grpc::ServerUnaryReactor* RegistrationGrpcService::SubmitRegistration(
    grpc::CallbackServerContext* ctx, const pb::SubmitRegistrationRequest* req,
    pb::SubmitRegistrationResponse* resp) {
  return runner_->Run(
      ctx, "SubmitRegistration", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(
            auto n, ParseChildName("name", req->name(), "registrations", kRegistrationExample));
        NTM_ASSIGN_OR_RETURN(int64_t version, ParseEtag(req->etag()));
        NTM_ASSIGN_OR_RETURN(
            RegistrationView v,
            app_->Transition(caller, n.first, n.second, plans::PlanAction::kSubmit, version, ""));
        ToProto(v, true, resp->mutable_registration());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* RegistrationGrpcService::AcceptRegistration(
    grpc::CallbackServerContext* ctx, const pb::AcceptRegistrationRequest* req,
    pb::AcceptRegistrationResponse* resp) {
  return runner_->Run(
      ctx, "AcceptRegistration", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(
            auto n, ParseChildName("name", req->name(), "registrations", kRegistrationExample));
        NTM_ASSIGN_OR_RETURN(int64_t version, ParseEtag(req->etag()));
        if (req->note().size() > 2000) {
          return InvalidField("note", "at most 2000 bytes");
        }
        NTM_ASSIGN_OR_RETURN(RegistrationView v,
                             app_->Transition(caller, n.first, n.second, plans::PlanAction::kAccept,
                                              version, req->note()));
        ToProto(v, true, resp->mutable_registration());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* RegistrationGrpcService::ReturnRegistration(
    grpc::CallbackServerContext* ctx, const pb::ReturnRegistrationRequest* req,
    pb::ReturnRegistrationResponse* resp) {
  return runner_->Run(
      ctx, "ReturnRegistration", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(
            auto n, ParseChildName("name", req->name(), "registrations", kRegistrationExample));
        NTM_ASSIGN_OR_RETURN(int64_t version, ParseEtag(req->etag()));
        NTM_ASSIGN_OR_RETURN(std::string reason, Reasons(req->reasons()));
        NTM_ASSIGN_OR_RETURN(RegistrationView v,
                             app_->Transition(caller, n.first, n.second, plans::PlanAction::kReturn,
                                              version, reason));
        ToProto(v, true, resp->mutable_registration());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* RegistrationGrpcService::GetRegistrationStatus(
    grpc::CallbackServerContext* ctx, const pb::GetRegistrationStatusRequest* req,
    pb::GetRegistrationStatusResponse* resp) {
  return runner_->Run(
      ctx, "GetRegistrationStatus", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(
            auto d, ParseChildName("directive", req->directive(), "directives", kDirectiveExample));
        NTM_ASSIGN_OR_RETURN(RegistrationStatusView view, app_->Status(caller, d.first, d.second));
        resp->set_directive(DirectiveName(d.first, d.second));
        ToTimestamp(view.as_of, resp->mutable_as_of());
        for (const UnitRegistrationView& row : view.units) {
          pb::UnitRegistration* u = resp->add_units();
          u->set_unit(absl::StrCat("units/", row.unit_code));
          u->set_unit_display_name(row.display_name);
          const std::set<std::string> missing(row.villages_missing.begin(),
                                              row.villages_missing.end());
          for (const Village& v : row.villages) {
            pb::VillageStatus* s = u->add_villages();
            s->set_village(absl::StrCat("units/", v.code));
            s->set_village_display_name(v.display_name);
            s->set_registered(missing.count(v.code) == 0);
          }
          u->set_villages_missing(static_cast<int32_t>(row.villages_missing.size()));
          resp->set_villages_missing(resp->villages_missing() + u->villages_missing());
          ToTimestamp(row.deadline, u->mutable_deadline());
          u->set_overdue(row.overdue);
          resp->set_overdue(resp->overdue() + (row.overdue ? 1 : 0));
          if (!row.registration.has_value()) {
            u->set_progress(pb::REGISTRATION_PROGRESS_NOT_STARTED);
            resp->set_not_started(resp->not_started() + 1);
            continue;
          }
          const Registration& r = *row.registration;
          u->set_registration(RegistrationName(r.unit_code, r.directive_id));
          u->set_state(ToProto(r.state));
          for (const std::string& m : row.missing) u->add_missing(m);
          if (row.missing.empty()) {
            u->set_progress(pb::REGISTRATION_PROGRESS_COMPLETE);
            resp->set_complete(resp->complete() + 1);
          } else {
            u->set_progress(pb::REGISTRATION_PROGRESS_INCOMPLETE);
            resp->set_incomplete(resp->incomplete() + 1);
          }
          if (r.submitted_at.has_value()) ToTimestamp(*r.submitted_at, u->mutable_submit_time());
          u->set_submitted_late(r.submitted_late);
        }
        return absl::OkStatus();
      });
}

namespace {

void ToProto(const DistrictModelPoint& m, pb::DistrictModelPoint* out) {
  out->set_name(
      absl::StrCat(DirectiveName(m.district_code, m.directive_id), "/districtModelPoint"));
  out->set_directive(DirectiveName(m.district_code, m.directive_id));
  out->set_year(m.year);
  if (m.registration_id.has_value()) {
    const std::string& id = *m.registration_id;
    out->set_registration(
        RegistrationName(id.substr(id.rfind('.') + 1), id.substr(0, id.rfind('.'))));
  }
  ToProto(m.model_point, out->mutable_model_point());
  out->set_chosen_by(m.chosen_by);
  ToTimestamp(m.chosen_at, out->mutable_choose_time());
}

}  // namespace

grpc::ServerUnaryReactor* RegistrationGrpcService::ChooseDistrictModelPoint(
    grpc::CallbackServerContext* ctx, const pb::ChooseDistrictModelPointRequest* req,
    pb::ChooseDistrictModelPointResponse* resp) {
  return runner_->Run(
      ctx, "ChooseDistrictModelPoint", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(
            auto d, ParseChildName("directive", req->directive(), "directives", kDirectiveExample));
        if (req->registration().empty() == !req->has_model_point()) {
          return InvalidField(
              "registration",
              "give either a commune's registration or the district's own model_point");
        }
        std::optional<std::string> unit;
        std::optional<ModelPoint> own;
        if (!req->registration().empty()) {
          NTM_ASSIGN_OR_RETURN(auto r, ParseChildName("registration", req->registration(),
                                                      "registrations", kRegistrationExample));
          if (r.second != d.second) {
            return absl::FailedPreconditionError(
                absl::StrCat("registration: ", req->registration(), " answers another directive"));
          }
          unit = r.first;
        } else {
          own = FromProto(req->model_point());
        }
        if (req->reason().size() > 2000) {
          return InvalidField("reason", "at most 2000 bytes");
        }
        NTM_ASSIGN_OR_RETURN(
            DistrictModelPoint m,
            app_->ChooseModelPoint(caller, d.first, d.second, unit, own, req->reason()));
        ToProto(m, resp->mutable_district_model_point());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* RegistrationGrpcService::GetDistrictModelPoint(
    grpc::CallbackServerContext* ctx, const pb::GetDistrictModelPointRequest* req,
    pb::GetDistrictModelPointResponse* resp) {
  return runner_->Run(
      ctx, "GetDistrictModelPoint", [this, req, resp](const Caller&) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(
            auto d, ParseChildName("directive", req->directive(), "directives", kDirectiveExample));
        NTM_ASSIGN_OR_RETURN(DistrictModelPoint m, app_->GetModelPoint(d.first, d.second));
        ToProto(m, resp->mutable_district_model_point());
        return absl::OkStatus();
      });
}

}  // namespace ntm::registrations::api
