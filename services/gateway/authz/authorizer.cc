#include "services/gateway/authz/authorizer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace ntm::gateway {
namespace {

using ntm::api::v1::Role;

bool Has(const std::vector<Role>& roles, Role r) {
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}

std::string RoleNames(const std::vector<Role>& roles) {
  std::vector<std::string> names;
  for (Role r : roles) {
    names.push_back(ntm::api::v1::Role_Name(r));
  }
  return names.empty() ? "none" : absl::StrJoin(names, ", ");
}

// The principal's roles the rule lists.
std::vector<Role> MatchingRoles(const Principal& p, const CompiledRule& rule) {
  std::vector<Role> out;
  for (int r : rule.rule.roles()) {
    if (Has(p.roles, static_cast<Role>(r))) {
      out.push_back(static_cast<Role>(r));
    }
  }
  return out;
}

}  // namespace

bool NeedsOwnership(const Principal& principal, const CompiledRule& rule) {
  if (rule.indicator_path.empty() && rule.criterion_path.empty()) {
    return false;
  }
  const std::vector<Role> matching = MatchingRoles(principal, rule);
  return matching.size() == 1 && matching.front() == ntm::api::v1::ROLE_STEERING_MEMBER;
}

Decision RuleAuthorizer::Decide(const Principal& principal, const CompiledRule& rule,
                                const RequestFacts& facts, const TargetContext& target) const {
  auto deny = [&](std::string check, std::string reason) {
    denied_.fetch_add(1);
    return Decision{false, std::move(check), std::move(reason)};
  };
  if (!principal.active) {
    return deny("active", absl::StrFormat("principal %s is deactivated", principal.id));
  }
  std::vector<Role> rule_roles;
  for (int r : rule.rule.roles()) {
    rule_roles.push_back(static_cast<Role>(r));
  }
  if (MatchingRoles(principal, rule).empty()) {
    return deny("role", absl::StrFormat("%s may be called by %s; principal %s has %s",
                                        rule.descriptor->full_name(), RoleNames(rule_roles),
                                        principal.id, RoleNames(principal.roles)));
  }
  if (!rule.owner_path.empty()) {
    absl::string_view holder = facts.owner;
    bool mine = false;
    if (absl::ConsumePrefix(&holder, "units/")) {
      // The unit's own office (its commune officer, the district's standing office, the
      // province office), not a steering-committee agency that merely sits in the same unit.
      mine = holder == principal.unit_code &&
             std::any_of(principal.roles.begin(), principal.roles.end(),
                         [](Role r) { return r != ntm::api::v1::ROLE_STEERING_MEMBER; });
    } else if (absl::ConsumePrefix(&holder, "agencies/")) {
      mine = !principal.agency_id.empty() && holder == principal.agency_id;
    } else if (absl::ConsumePrefix(&holder, "principals/")) {
      mine = holder == principal.id;
    }
    if (!mine) {
      return deny(
          "owner",
          absl::StrFormat(
              "%s belongs to its holder only; principal %s (units/%s%s) is "
              "not it",
              facts.owner, principal.id, principal.unit_code,
              principal.agency_id.empty() ? "" : absl::StrCat(", agencies/", principal.agency_id)));
    }
  }
  if (!rule.unit_path.empty()) {
    if (std::find(target.unit_chain.begin(), target.unit_chain.end(), principal.unit_code) ==
        target.unit_chain.end()) {
      return deny("unit", absl::StrFormat("principal %s works for units/%s, which does not "
                                          "contain units/%s",
                                          principal.id, principal.unit_code, facts.unit_code));
    }
  }
  if (NeedsOwnership(principal, rule)) {
    if (principal.agency_id.empty()) {
      return deny("ownership", absl::StrFormat("principal %s acts as a steering-committee member "
                                               "but for no agency",
                                               principal.id));
    }
    auto owner = [&](const std::string& code) {
      auto it = target.owners.find(code);
      return it == target.owners.end() ? std::string() : it->second;
    };
    for (const std::string& code : facts.indicators) {
      const std::string o = owner(code);
      if (o != principal.agency_id) {
        return deny(
            "ownership",
            absl::StrFormat("agency %s does not own indicator %s in units/%s (owner: %s)",
                            principal.agency_id, code, facts.unit_code, o.empty() ? "nobody" : o));
      }
    }
    if (!rule.criterion_path.empty()) {
      const bool owns_one =
          std::any_of(target.criterion_indicators.begin(), target.criterion_indicators.end(),
                      [&](const std::string& code) { return owner(code) == principal.agency_id; });
      if (!owns_one) {
        return deny("ownership",
                    absl::StrFormat("agency %s owns no indicator of criterion %s in units/%s",
                                    principal.agency_id, facts.criterion, facts.unit_code));
      }
    }
  }
  allowed_.fetch_add(1);
  return Decision{true, "rule", ""};
}

}  // namespace ntm::gateway
