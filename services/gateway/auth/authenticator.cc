#include "services/gateway/auth/authenticator.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace ntm::gateway {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

absl::Status Invalid(absl::string_view where, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("principals: ", where, ": ", why));
}

absl::StatusOr<std::string> StringOf(const Struct& s, const std::string& key,
                                     absl::string_view where, bool required) {
  auto it = s.fields().find(key);
  if (it == s.fields().end()) {
    if (required) {
      return Invalid(where, absl::StrCat("\"", key, "\" is required"));
    }
    return std::string();
  }
  if (it->second.kind_case() != Value::kStringValue) {
    return Invalid(where, absl::StrCat("\"", key, "\" must be a string"));
  }
  return it->second.string_value();
}

}  // namespace

absl::StatusOr<std::unique_ptr<StaticPrincipalRegistry>> StaticPrincipalRegistry::FromJson(
    absl::string_view json) {
  Struct doc;
  auto parsed = google::protobuf::util::JsonStringToMessage(std::string(json), &doc);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("principals: not JSON: ", parsed.message().ToString()));
  }
  auto list = doc.fields().find("principals");
  if (list == doc.fields().end() || list->second.kind_case() != Value::kListValue ||
      doc.fields().size() != 1) {
    return absl::InvalidArgumentError("principals: expected {\"principals\": [...]} only");
  }
  static const std::set<std::string> kKeys = {
      "id", "unit", "roles", "agency", "active", "certificate_subject", "note"};
  auto registry = std::unique_ptr<StaticPrincipalRegistry>(new StaticPrincipalRegistry());
  int i = 0;
  for (const Value& v : list->second.list_value().values()) {
    const std::string where = absl::StrCat("principals[", i++, "]");
    if (v.kind_case() != Value::kStructValue) {
      return Invalid(where, "not an object");
    }
    const Struct& p = v.struct_value();
    for (const auto& [key, _] : p.fields()) {
      if (!kKeys.count(key)) {
        return Invalid(where, absl::StrCat("unknown key \"", key, "\""));
      }
    }
    Principal out;
    auto id = StringOf(p, "id", where, true);
    if (!id.ok()) {
      return id.status();
    }
    out.id = *id;
    if (out.id.empty() || out.id.size() > 128) {
      return Invalid(where, "\"id\" must be 1-128 characters");
    }
    auto unit = StringOf(p, "unit", where, true);
    if (!unit.ok()) {
      return unit.status();
    }
    absl::string_view code = *unit;
    if (!absl::ConsumePrefix(&code, "units/") || code.empty()) {
      return Invalid(where, "\"unit\" must be a unit name like \"units/03424\"");
    }
    out.unit_code = std::string(code);
    auto agency = StringOf(p, "agency", where, false);
    if (!agency.ok()) {
      return agency.status();
    }
    absl::string_view agency_id = *agency;
    if (!agency_id.empty() && !absl::ConsumePrefix(&agency_id, "agencies/")) {
      return Invalid(where, "\"agency\" must be an agency name like \"agencies/tam-duong-yte\"");
    }
    out.agency_id = std::string(agency_id);
    auto roles = p.fields().find("roles");
    if (roles == p.fields().end() || roles->second.kind_case() != Value::kListValue ||
        roles->second.list_value().values().empty()) {
      return Invalid(where, "\"roles\" must list at least one role");
    }
    for (const Value& r : roles->second.list_value().values()) {
      ntm::api::v1::Role role;
      if (r.kind_case() != Value::kStringValue ||
          !ntm::api::v1::Role_Parse(r.string_value(), &role) ||
          role == ntm::api::v1::ROLE_UNSPECIFIED) {
        return Invalid(where, absl::StrCat("unknown role ", r.string_value()));
      }
      out.roles.push_back(role);
    }
    if (auto a = p.fields().find("active"); a != p.fields().end()) {
      if (a->second.kind_case() != Value::kBoolValue) {
        return Invalid(where, "\"active\" must be true or false");
      }
      out.active = a->second.bool_value();
    }
    auto subject = StringOf(p, "certificate_subject", where, false);
    if (!subject.ok()) {
      return subject.status();
    }
    if (!subject->empty()) {
      if (!registry->id_by_subject_.emplace(*subject, out.id).second) {
        return Invalid(where, "certificate_subject used twice");
      }
    }
    auto note = StringOf(p, "note", where, false);
    if (!note.ok()) {
      return note.status();
    }
    if (!registry->by_id_.emplace(out.id, out).second) {
      return Invalid(where, absl::StrCat("id ", out.id, " appears twice"));
    }
    registry->note_by_id_[out.id] = *note;
  }
  return registry;
}

std::optional<Principal> StaticPrincipalRegistry::Find(absl::string_view id) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::string StaticPrincipalRegistry::CertificateSubjectOf(absl::string_view id) const {
  for (const auto& [subject, owner] : id_by_subject_) {
    if (owner == id) {
      return subject;
    }
  }
  return "";
}

std::string StaticPrincipalRegistry::NoteOf(absl::string_view id) const {
  auto it = note_by_id_.find(id);
  return it == note_by_id_.end() ? "" : it->second;
}

std::optional<Principal> StaticPrincipalRegistry::FindByCertificateSubject(
    absl::string_view subject) const {
  auto it = id_by_subject_.find(subject);
  if (it == id_by_subject_.end()) {
    return std::nullopt;
  }
  return Find(it->second);
}

absl::StatusOr<Authenticated> Authenticator::Known(absl::string_view id,
                                                   absl::string_view method) const {
  std::optional<Principal> p = registry_->Find(id);
  if (!p.has_value()) {
    return absl::UnauthenticatedError(
        absl::StrFormat("principal '%s' is not registered with the gateway", id));
  }
  if (!p->active) {
    return absl::UnauthenticatedError(absl::StrFormat("principal '%s' is deactivated", id));
  }
  return Authenticated{*std::move(p), std::string(method)};
}

absl::StatusOr<Authenticated> Authenticator::Authenticate(const Credentials& credentials,
                                                          absl::Time now) const {
  if (!credentials.authorization.empty()) {
    absl::string_view value = credentials.authorization;
    if (!absl::ConsumePrefix(&value, "Bearer ") && !absl::ConsumePrefix(&value, "bearer ")) {
      return absl::UnauthenticatedError("authorization: expected \"Bearer <token>\"");
    }
    value = absl::StripAsciiWhitespace(value);
    if (auto it = dev_tokens_.find(std::string(value)); it != dev_tokens_.end()) {
      return Known(it->second, "dev-token");
    }
    if (jwt_ == nullptr) {
      return absl::UnauthenticatedError("bearer token refused: not a known token");
    }
    auto verified = jwt_->Verify(value, now);
    if (!verified.ok()) {
      return verified.status();
    }
    return Known(verified->subject, "jwt");
  }
  if (!credentials.certificate_subject.empty()) {
    std::optional<Principal> p =
        registry_->FindByCertificateSubject(credentials.certificate_subject);
    if (!p.has_value()) {
      return absl::UnauthenticatedError(
          absl::StrFormat("client certificate '%s' is not registered with the gateway",
                          credentials.certificate_subject));
    }
    return Known(p->id, "mtls");
  }
  return absl::UnauthenticatedError(
      "no credentials: send \"authorization: Bearer <token>\" or a client certificate");
}

}  // namespace ntm::gateway
