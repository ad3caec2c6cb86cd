#include "services/gateway/access/access_service.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/status.h"

namespace ntm::gateway {
namespace {

namespace pb = ntm::gateway::v1;
using google::protobuf::util::TimeUtil;
using ntm::api::v1::Role;

constexpr int kDefaultPage = 100;
constexpr int kMaxPage = 1000;

absl::StatusOr<int> PageSize(int requested) {
  if (requested < 0 || requested > kMaxPage) {
    return InvalidField("page_size", absl::StrCat(requested, " is outside 0–", kMaxPage));
  }
  return requested == 0 ? kDefaultPage : requested;
}

absl::StatusOr<std::string> UnitCode(absl::string_view field, absl::string_view name) {
  absl::string_view code = name;
  if (!absl::ConsumePrefix(&code, "units/") || code.empty() || code.size() > 16 ||
      !std::all_of(code.begin(), code.end(), [](char c) { return absl::ascii_isdigit(c); })) {
    return InvalidField(field, absl::StrCat("'", name, "' is not a unit name like units/03424"));
  }
  return std::string(code);
}

bool ValidId(absl::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-';
  });
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t micros = absl::ToUnixMicros(t);
  ts.set_seconds(micros / 1000000);
  ts.set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
  return ts;
}

// Within the range google.protobuf.Timestamp allows (years 1–9999), nanos in 0–999,999,999.
bool ValidTimestamp(const google::protobuf::Timestamp& ts) {
  return ts.seconds() >= TimeUtil::kTimestampMinSeconds &&
         ts.seconds() <= TimeUtil::kTimestampMaxSeconds && ts.nanos() >= 0 &&
         ts.nanos() <= 999999999;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

std::string Etag(int64_t version) { return absl::StrCat("v", version); }

void ToProto(const PrincipalRecord& r, pb::Principal* out) {
  out->set_id(r.principal.id);
  out->set_unit(absl::StrCat("units/", r.principal.unit_code));
  if (!r.principal.agency_id.empty()) {
    out->set_agency(absl::StrCat("agencies/", r.principal.agency_id));
  }
  for (Role role : r.principal.roles) {
    out->add_roles(role);
  }
  out->set_display_name(r.display_name);
  out->set_certificate_subject(r.certificate_subject);
  out->set_active(r.principal.active);
  *out->mutable_create_time() = ToTimestamp(r.created_at);
  *out->mutable_update_time() = ToTimestamp(r.updated_at);
  out->set_updated_by(r.updated_by);
  out->set_etag(Etag(r.version));
}

// Validates the fields a caller may set and writes them into `record`.
absl::Status ApplyAgency(const pb::Principal& in, PrincipalRecord* record) {
  absl::string_view agency = in.agency();
  if (!agency.empty()) {
    if (!absl::ConsumePrefix(&agency, "agencies/") || !ValidId(agency)) {
      return InvalidField("principal.agency", absl::StrCat("'", in.agency(),
                                                           "' is not an agency name like "
                                                           "agencies/tam-duong-yte"));
    }
  }
  record->principal.agency_id = std::string(agency);
  return absl::OkStatus();
}

absl::Status ApplyRoles(const pb::Principal& in, PrincipalRecord* record) {
  std::set<int> seen;
  record->principal.roles.clear();
  for (int r : in.roles()) {
    if (r == ntm::api::v1::ROLE_UNSPECIFIED || !ntm::api::v1::Role_IsValid(r)) {
      return InvalidField("principal.roles", absl::StrCat("role ", r, " is not a role"));
    }
    if (seen.insert(r).second) {
      record->principal.roles.push_back(static_cast<Role>(r));
    }
  }
  if (record->principal.roles.empty()) {
    return InvalidField("principal.roles", "give at least one role");
  }
  return absl::OkStatus();
}

absl::Status ApplyText(absl::string_view field, const std::string& value, std::string* out) {
  if (value.size() > 255) {
    return InvalidField(field, "at most 255 bytes");
  }
  *out = value;
  return absl::OkStatus();
}

// A steering member acts for an agency; the agency is required then.
absl::Status CheckAgency(const PrincipalRecord& r) {
  const bool steering = std::count(r.principal.roles.begin(), r.principal.roles.end(),
                                   ntm::api::v1::ROLE_STEERING_MEMBER) > 0;
  if (steering && r.principal.agency_id.empty()) {
    return InvalidField("principal.agency", "a steering member needs the agency it acts for");
  }
  return absl::OkStatus();
}

bool Has(const std::vector<Role>& roles, Role role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

}  // namespace

absl::Status AccessGrpcService::MayGrant(const Caller& caller,
                                         const std::vector<Role>& roles) const {
  std::optional<Principal> me = registry_->Find(caller.principal);
  if (!me.has_value()) {
    return absl::PermissionDeniedError(
        absl::StrCat("principal '", caller.principal, "' is not registered"));
  }
  if (Has(me->roles, ntm::api::v1::ROLE_PROVINCE_OFFICE)) {
    return absl::OkStatus();
  }
  if (Has(roles, ntm::api::v1::ROLE_PROVINCE_OFFICE)) {
    return absl::PermissionDeniedError(
        "only the province office grants or changes ROLE_PROVINCE_OFFICE");
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* AccessGrpcService::ListPrincipals(grpc::CallbackServerContext* ctx,
                                                            const pb::ListPrincipalsRequest* req,
                                                            pb::ListPrincipalsResponse* resp) {
  return runner_->Run(ctx, "ListPrincipals", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string parent, UnitCode("parent", req->parent()));
    NTM_ASSIGN_OR_RETURN(int size, PageSize(req->page_size()));
    if (!req->page_token().empty() && !ValidId(req->page_token())) {
      return InvalidField("page_token", "not a token this service issued");
    }
    for (const PrincipalRecord& r : registry_->All()) {
      if (r.principal.id <= req->page_token()) {
        continue;
      }
      auto chain = chain_(r.principal.unit_code);
      if (!chain.ok()) {
        if (absl::IsNotFound(chain.status())) {
          continue;  // a unit no longer in the directory: not below any parent
        }
        return chain.status();
      }
      if (std::find(chain->begin(), chain->end(), parent) == chain->end()) {
        continue;
      }
      if (resp->principals_size() == size) {
        resp->set_next_page_token(resp->principals(size - 1).id());
        break;
      }
      ToProto(r, resp->add_principals());
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AccessGrpcService::CreatePrincipal(grpc::CallbackServerContext* ctx,
                                                             const pb::CreatePrincipalRequest* req,
                                                             pb::CreatePrincipalResponse* resp) {
  return runner_->Run(
      ctx, "CreatePrincipal", [this, req, resp](const Caller& caller) -> absl::Status {
        const pb::Principal& in = req->principal();
        if (!ValidId(in.id())) {
          return InvalidField("principal.id",
                              "1-64 characters of lower-case letters, digits and '-'");
        }
        PrincipalRecord r;
        r.principal.id = in.id();
        NTM_ASSIGN_OR_RETURN(r.principal.unit_code, UnitCode("principal.unit", in.unit()));
        if (auto chain = chain_(r.principal.unit_code); !chain.ok()) {
          if (absl::IsNotFound(chain.status())) {
            return InvalidField("principal.unit", absl::StrCat(in.unit(), " is not a known unit"));
          }
          return chain.status();
        }
        NTM_RETURN_IF_ERROR(ApplyAgency(in, &r));
        NTM_RETURN_IF_ERROR(ApplyRoles(in, &r));
        NTM_RETURN_IF_ERROR(CheckAgency(r));
        NTM_RETURN_IF_ERROR(
            ApplyText("principal.display_name", in.display_name(), &r.display_name));
        NTM_RETURN_IF_ERROR(ApplyText("principal.certificate_subject", in.certificate_subject(),
                                      &r.certificate_subject));
        r.principal.active = true;
        NTM_RETURN_IF_ERROR(MayGrant(caller, r.principal.roles));
        NTM_RETURN_IF_ERROR(store_->CreatePrincipal(r, clock_->Now(), caller.principal));
        NTM_RETURN_IF_ERROR(registry_->Reload());
        NTM_ASSIGN_OR_RETURN(PrincipalRecord stored, store_->GetPrincipal(r.principal.id));
        ToProto(stored, resp->mutable_principal());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AccessGrpcService::UpdatePrincipal(grpc::CallbackServerContext* ctx,
                                                             const pb::UpdatePrincipalRequest* req,
                                                             pb::UpdatePrincipalResponse* resp) {
  return runner_->Run(
      ctx, "UpdatePrincipal", [this, req, resp](const Caller& caller) -> absl::Status {
        const pb::Principal& in = req->principal();
        if (!ValidId(in.id())) {
          return InvalidField("principal.id", "give the id of the principal to change");
        }
        if (req->update_mask().paths().empty()) {
          return InvalidField("update_mask", "name at least one field to change");
        }
        NTM_ASSIGN_OR_RETURN(PrincipalRecord r, store_->GetPrincipal(in.id()));
        if (in.unit() != absl::StrCat("units/", r.principal.unit_code)) {
          return InvalidField("principal.unit",
                              absl::StrCat("a principal's unit never changes; '", in.id(),
                                           "' belongs to units/", r.principal.unit_code));
        }
        int64_t expected = 0;
        if (!req->etag().empty()) {
          absl::string_view digits = req->etag();
          if (!absl::ConsumePrefix(&digits, "v") || !absl::SimpleAtoi(digits, &expected) ||
              expected <= 0) {
            return InvalidField("etag", "not an etag this service issued");
          }
        }
        // Who holds the province office role is the province office's business only.
        NTM_RETURN_IF_ERROR(MayGrant(caller, r.principal.roles));
        for (const std::string& path : req->update_mask().paths()) {
          if (path == "display_name") {
            NTM_RETURN_IF_ERROR(
                ApplyText("principal.display_name", in.display_name(), &r.display_name));
          } else if (path == "agency") {
            NTM_RETURN_IF_ERROR(ApplyAgency(in, &r));
          } else if (path == "roles") {
            NTM_RETURN_IF_ERROR(ApplyRoles(in, &r));
          } else if (path == "certificate_subject") {
            NTM_RETURN_IF_ERROR(ApplyText("principal.certificate_subject", in.certificate_subject(),
                                          &r.certificate_subject));
          } else if (path == "active") {
            r.principal.active = in.active();
          } else {
            return InvalidField(
                "update_mask", absl::StrCat("'", path,
                                            "' cannot be changed; use display_name, agency, roles, "
                                            "certificate_subject or active"));
          }
        }
        NTM_RETURN_IF_ERROR(CheckAgency(r));
        NTM_RETURN_IF_ERROR(MayGrant(caller, r.principal.roles));
        NTM_RETURN_IF_ERROR(store_->UpdatePrincipal(r, expected, clock_->Now(), caller.principal));
        NTM_RETURN_IF_ERROR(registry_->Reload());
        NTM_ASSIGN_OR_RETURN(PrincipalRecord stored, store_->GetPrincipal(r.principal.id));
        ToProto(stored, resp->mutable_principal());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AccessGrpcService::ListDecisions(grpc::CallbackServerContext* ctx,
                                                           const pb::ListDecisionsRequest* req,
                                                           pb::ListDecisionsResponse* resp) {
  return runner_->Run(
      ctx, "ListDecisions", [this, req, resp](const Caller& caller) -> absl::Status {
        DecisionQuery q;
        NTM_ASSIGN_OR_RETURN(q.unit_code, UnitCode("unit", req->unit()));
        NTM_ASSIGN_OR_RETURN(int size, PageSize(req->page_size()));
        q.limit = size + 1;
        if (!req->page_token().empty() &&
            (!absl::SimpleAtoi(req->page_token(), &q.before_id) || q.before_id <= 0)) {
          return InvalidField("page_token", "not a token this service issued");
        }
        if (!req->principal().empty() && !ValidId(req->principal())) {
          return InvalidField("principal", "not a principal id");
        }
        q.principal = req->principal();
        switch (req->outcome()) {
          case pb::OUTCOME_UNSPECIFIED:
            break;
          case pb::OUTCOME_ALLOWED:
            q.allowed = true;
            break;
          case pb::OUTCOME_DENIED:
            q.allowed = false;
            break;
          default:
            return InvalidField("outcome", "not an outcome");
        }
        if (req->has_start_time()) {
          if (!ValidTimestamp(req->start_time())) {
            return InvalidField("start_time", "not a valid timestamp");
          }
          q.start = FromTimestamp(req->start_time());
        }
        if (req->has_end_time()) {
          if (!ValidTimestamp(req->end_time())) {
            return InvalidField("end_time", "not a valid timestamp");
          }
          q.end = FromTimestamp(req->end_time());
        }
        std::optional<Principal> me = registry_->Find(caller.principal);
        q.include_untargeted = me.has_value() && Has(me->roles, ntm::api::v1::ROLE_PROVINCE_OFFICE);
        NTM_ASSIGN_OR_RETURN(std::vector<StoredDecision> rows, store_->ListDecisions(q));
        for (int i = 0; i < static_cast<int>(rows.size()) && i < size; ++i) {
          const DecisionRecord& r = rows[i].record;
          pb::Decision* d = resp->add_decisions();
          d->set_id(rows[i].id);
          *d->mutable_decide_time() = ToTimestamp(r.time);
          d->set_principal(r.principal);
          d->set_authenticated_by(r.authenticated_by);
          d->set_method(r.method);
          ntm::api::v1::Action action = ntm::api::v1::ACTION_UNSPECIFIED;
          ntm::api::v1::Action_Parse(r.action, &action);
          d->set_action(action);
          if (!r.unit_code.empty()) {
            d->set_unit(absl::StrCat("units/", r.unit_code));
          }
          for (const std::string& code : r.indicators) {
            d->add_indicator_codes(code);
          }
          d->set_criterion_code(r.criterion);
          d->set_outcome(r.allowed ? pb::OUTCOME_ALLOWED : pb::OUTCOME_DENIED);
          d->set_check(r.check);
          d->set_reason(r.reason);
          d->set_transport(r.transport);
        }
        if (static_cast<int>(rows.size()) > size) {
          resp->set_next_page_token(absl::StrCat(rows[size - 1].id));
        }
        return absl::OkStatus();
      });
}

}  // namespace ntm::gateway
