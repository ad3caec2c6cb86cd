// The decision log: every allowed change and every denial, append-only. The gateway appends a
// record before it forwards an allowed change, so no change reaches a service unrecorded; reads
// that pass are not recorded.
#ifndef NTM_SERVICES_GATEWAY_PROXY_DECISION_LOG_H_
#define NTM_SERVICES_GATEWAY_PROXY_DECISION_LOG_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace ntm::gateway {

struct DecisionRecord {
  absl::Time time;
  std::string principal;
  // "dev-token", "jwt", "mtls".
  std::string authenticated_by;
  // "/package.Service/Method".
  std::string method;
  // The rule's action name, e.g. "ACTION_WRITE".
  std::string action;
  // The target unit code ("" when the method names none) and its ancestors, the unit first.
  std::string unit_code;
  std::vector<std::string> unit_chain;
  std::vector<std::string> indicators;
  std::string criterion;
  bool allowed = false;
  // The check that decided ("active", "role", "unit", "ownership", "rate", "rule").
  std::string check;
  std::string reason;
  // "grpc" or "http".
  std::string transport;
};

class DecisionLog {
 public:
  virtual ~DecisionLog() = default;
  // Appends one record. An error means the record is not stored: the gateway then refuses an
  // allowed change rather than forward it unrecorded.
  virtual absl::Status Append(const DecisionRecord& record) = 0;
};

// Writes the structured log line every decision log also writes.
void LogDecisionLine(const DecisionRecord& record);

}  // namespace ntm::gateway

#endif  // NTM_SERVICES_GATEWAY_PROXY_DECISION_LOG_H_
