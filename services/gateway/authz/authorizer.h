// The authorization engine: a pure decision from who calls, the method's compiled rule, what the
// request targets and what the gateway looked up about that target. No I/O, no clock: the same
// inputs always give the same decision, so it is tested exhaustively without servers.
#ifndef NTM_SERVICES_GATEWAY_AUTHZ_AUTHORIZER_H_
#define NTM_SERVICES_GATEWAY_AUTHZ_AUTHORIZER_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ntm/api/v1/authorization.pb.h"
#include "services/gateway/authz/rule_table.h"

namespace ntm::gateway {

// Who calls, as the principal registry knows it.
struct Principal {
  std::string id;
  // The unit the principal works for: it reaches that unit and everything below it.
  std::string unit_code;
  // The agency the principal acts for ("" for a commune officer or an office).
  std::string agency_id;
  std::vector<ntm::api::v1::Role> roles;
  bool active = true;
};

// What the gateway looked up about the request's target.
struct TargetContext {
  // The target unit and its ancestors, the unit first; empty when the rule names no unit.
  std::vector<std::string> unit_chain;
  // The owning agency, in the target unit, of each indicator the decision needs: those the
  // request touches and those of the criterion it names. Missing or "": nobody owns it.
  std::map<std::string, std::string> owners;
  // The indicator codes of the criterion the request names.
  std::vector<std::string> criterion_indicators;
};

struct Decision {
  bool allowed = false;
  // The check that decided: "active", "role", "owner", "unit", "ownership", or "rule" when
  // allowed.
  std::string check;
  // Why, for the PERMISSION_DENIED message and the decision log.
  std::string reason;
};

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  virtual Decision Decide(const Principal& principal, const CompiledRule& rule,
                          const RequestFacts& facts, const TargetContext& target) const = 0;
};

// Deny by default: a call is allowed only when every check of the rule passes.
class RuleAuthorizer final : public Authorizer {
 public:
  Decision Decide(const Principal& principal, const CompiledRule& rule, const RequestFacts& facts,
                  const TargetContext& target) const override;

  uint64_t allowed() const { return allowed_.load(); }
  uint64_t denied() const { return denied_.load(); }

 private:
  mutable std::atomic<uint64_t> allowed_{0};
  mutable std::atomic<uint64_t> denied_{0};
};

// Whether a steering member's ownership must be checked for this call: the rule touches
// indicators or names a criterion, and the principal may call only as a steering member.
bool NeedsOwnership(const Principal& principal, const CompiledRule& rule);

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_AUTHZ_AUTHORIZER_H_
