#include "services/gateway/authz/rule_table.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace ntm::gateway {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Appends every string reached by `path` from `message`, through repeated messages.
void Collect(const Message& message, const FieldPath& path, size_t depth,
             std::vector<std::string>* out) {
  const FieldDescriptor* field = path[depth];
  const Reflection* r = message.GetReflection();
  const bool last = depth + 1 == path.size();
  if (field->is_repeated()) {
    const int n = r->FieldSize(message, field);
    for (int i = 0; i < n; ++i) {
      if (last) {
        out->push_back(r->GetRepeatedString(message, field, i));
      } else {
        Collect(r->GetRepeatedMessage(message, field, i), path, depth + 1, out);
      }
    }
    return;
  }
  if (last) {
    out->push_back(r->GetString(message, field));
  } else if (r->HasField(message, field)) {
    Collect(r->GetMessage(message, field), path, depth + 1, out);
  }
}

std::string PathName(const FieldPath& path) {
  std::vector<std::string> names;
  for (const FieldDescriptor* f : path) {
    names.push_back(f->name());
  }
  return absl::StrJoin(names, ".");
}

}  // namespace

absl::StatusOr<FieldPath> ResolvePath(const google::protobuf::Descriptor* message,
                                      absl::string_view path) {
  FieldPath out;
  const google::protobuf::Descriptor* current = message;
  std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    if (current == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrFormat("'%s': '%s' follows a field that is not a message", path, parts[i]));
    }
    const FieldDescriptor* f = current->FindFieldByName(std::string(parts[i]));
    if (f == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrFormat("'%s': %s has no field '%s'", path, current->full_name(), parts[i]));
    }
    out.push_back(f);
    current = f->type() == FieldDescriptor::TYPE_MESSAGE ? f->message_type() : nullptr;
  }
  if (out.back()->type() != FieldDescriptor::TYPE_STRING) {
    return absl::InvalidArgumentError(absl::StrFormat("'%s' is not a string field", path));
  }
  return out;
}

absl::StatusOr<RuleTable> RuleTable::Compile(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services) {
  RuleTable table;
  for (const auto* service : services) {
    for (int m = 0; m < service->method_count(); ++m) {
      const auto* method = service->method(m);
      const std::string wire = absl::StrCat("/", service->full_name(), "/", method->name());
      auto fail = [&](absl::string_view why) {
        return absl::FailedPreconditionError(
            absl::StrCat("authorization rule of ", method->full_name(), ": ", why));
      };
      if (!method->options().HasExtension(ntm::api::v1::authorization)) {
        return fail("missing; every method needs option (ntm.api.v1.authorization)");
      }
      CompiledRule c;
      c.method = wire;
      c.descriptor = method;
      c.rule = method->options().GetExtension(ntm::api::v1::authorization);
      if (c.rule.action() == ntm::api::v1::ACTION_UNSPECIFIED) {
        return fail("no action");
      }
      if (c.rule.roles().empty()) {
        return fail("no role may call it");
      }
      const auto* input = method->input_type();
      if (!c.rule.unit_field().empty()) {
        auto p = ResolvePath(input, c.rule.unit_field());
        if (!p.ok()) {
          return fail(absl::StrCat("unit_field ", p.status().message()));
        }
        c.unit_path = *p;
      }
      if (!c.rule.indicator_field().empty()) {
        auto p = ResolvePath(input, c.rule.indicator_field());
        if (!p.ok()) {
          return fail(absl::StrCat("indicator_field ", p.status().message()));
        }
        c.indicator_path = *p;
      }
      if (!c.rule.criterion_field().empty()) {
        auto p = ResolvePath(input, c.rule.criterion_field());
        if (!p.ok()) {
          return fail(absl::StrCat("criterion_field ", p.status().message()));
        }
        c.criterion_path = *p;
      }
      if (!c.rule.owner_field().empty()) {
        auto p = ResolvePath(input, c.rule.owner_field());
        if (!p.ok()) {
          return fail(absl::StrCat("owner_field ", p.status().message()));
        }
        if (!c.unit_path.empty()) {
          return fail("owner_field and unit_field exclude each other");
        }
        c.owner_path = *p;
      }
      table.rules_.emplace(wire, std::move(c));
    }
  }
  return table;
}

bool IsInternal(const google::protobuf::ServiceDescriptor* service) {
  return service->options().HasExtension(ntm::api::v1::internal) &&
         service->options().GetExtension(ntm::api::v1::internal);
}

const CompiledRule* RuleTable::Find(absl::string_view method) const {
  auto it = rules_.find(method);
  return it == rules_.end() ? nullptr : &it->second;
}

absl::StatusOr<RequestFacts> ExtractFacts(const CompiledRule& rule,
                                          const google::protobuf::Message& request) {
  RequestFacts facts;
  if (!rule.unit_path.empty()) {
    std::vector<std::string> names;
    Collect(request, rule.unit_path, 0, &names);
    const std::string name = names.empty() ? std::string() : names.front();
    absl::string_view rest = name;
    if (!absl::ConsumePrefix(&rest, "units/")) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: '%s' is not a unit resource name like \"units/03424\"",
                          PathName(rule.unit_path), name));
    }
    absl::string_view code = rest.substr(0, rest.find('/'));
    if (code.empty() || code.size() > 16 || !std::all_of(code.begin(), code.end(), [](char c) {
          return absl::ascii_isdigit(static_cast<unsigned char>(c));
        })) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: '%s' is not a unit resource name like \"units/03424\"",
                          PathName(rule.unit_path), name));
    }
    facts.unit_code = std::string(code);
  }
  if (!rule.indicator_path.empty()) {
    Collect(request, rule.indicator_path, 0, &facts.indicators);
  }
  if (!rule.owner_path.empty()) {
    std::vector<std::string> names;
    Collect(request, rule.owner_path, 0, &names);
    const std::string name = names.empty() ? std::string() : names.front();
    const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
    const auto is_id = [](absl::string_view id) {
      return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return absl::ascii_islower(static_cast<unsigned char>(c)) ||
               absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
               c == '.';
      });
    };
    const bool ok =
        parts.size() >= 2 &&
        ((parts[0] == "units" && !parts[1].empty() && parts[1].size() <= 16 &&
          std::all_of(parts[1].begin(), parts[1].end(),
                      [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); })) ||
         ((parts[0] == "agencies" || parts[0] == "principals") && is_id(parts[1])));
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: '%s' is not an inbox like \"units/03424\", \"agencies/tam-duong-yte\" or "
          "\"principals/can-bo-ban-bo\"",
          PathName(rule.owner_path), name));
    }
    facts.owner = absl::StrCat(parts[0], "/", parts[1]);
  }
  if (!rule.criterion_path.empty()) {
    std::vector<std::string> c;
    Collect(request, rule.criterion_path, 0, &c);
    facts.criterion = c.empty() ? "" : c.front();
  }
  return facts;
}

}  // namespace ntm::gateway
