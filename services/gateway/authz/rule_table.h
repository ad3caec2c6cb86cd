// The authorization rules of every method the gateway serves, compiled once from the method
// descriptors: each rule's field paths are resolved to field descriptors, so that a request is
// checked without parsing paths again, and a method without a valid rule is found at start-up.
#ifndef NTM_SERVICES_GATEWAY_AUTHZ_RULE_TABLE_H_
#define NTM_SERVICES_GATEWAY_AUTHZ_RULE_TABLE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "ntm/api/v1/authorization.pb.h"

namespace ntm::gateway {

// A path of fields from the request message to a string field, through singular or repeated
// message fields.
using FieldPath = std::vector<const google::protobuf::FieldDescriptor*>;

struct CompiledRule {
  // "/package.Service/Method", as on the wire.
  std::string method;
  const google::protobuf::MethodDescriptor* descriptor = nullptr;
  ntm::api::v1::AuthorizationRule rule;
  FieldPath unit_path;       // empty: no target unit
  FieldPath indicator_path;  // empty: touches no indicator
  FieldPath criterion_path;  // empty: names no criterion
  FieldPath owner_path;      // empty: names nothing that belongs to one holder
};

// What a request says about its target, read through a compiled rule.
struct RequestFacts {
  std::string unit_code;                // from "units/{code}…"; empty when the rule has none
  std::vector<std::string> indicators;  // every indicator code the request touches
  std::string criterion;                // the criterion code it names, if any
  // The holder of what the request names through owner_field: "units/{code}",
  // "agencies/{id}" or "principals/{id}" (the first two segments); empty without one.
  std::string owner;
};

// True for a service marked (ntm.api.v1.internal): only the services call it; the gateway never
// serves it.
bool IsInternal(const google::protobuf::ServiceDescriptor* service);

class RuleTable {
 public:
  // Compiles the rules of every method of `services`. FAILED_PRECONDITION naming the method when
  // one has no rule, no action, no role, or a path that does not lead to a string field.
  static absl::StatusOr<RuleTable> Compile(
      const std::vector<const google::protobuf::ServiceDescriptor*>& services);

  // The rule of "/package.Service/Method"; null when the gateway does not serve the method.
  const CompiledRule* Find(absl::string_view method) const;
  const std::map<std::string, CompiledRule, std::less<>>& rules() const { return rules_; }

 private:
  std::map<std::string, CompiledRule, std::less<>> rules_;
};

// Resolves "a.b.c" against `message`; INVALID_ARGUMENT naming the part that does not resolve.
absl::StatusOr<FieldPath> ResolvePath(const google::protobuf::Descriptor* message,
                                      absl::string_view path);

// Reads the facts of `request` for `rule`. INVALID_ARGUMENT naming the request field when the
// target is not a unit resource name ("units/{digits}…"), or the owner_field does not start with
// "units/{digits}", "agencies/{id}" or "principals/{id}".
absl::StatusOr<RequestFacts> ExtractFacts(const CompiledRule& rule,
                                          const google::protobuf::Message& request);

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_AUTHZ_RULE_TABLE_H_
