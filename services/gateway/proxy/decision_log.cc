#include "services/gateway/proxy/decision_log.h"

#include "absl/strings/str_join.h"
#include "services/common/log.h"

namespace ntm::gateway {

void LogDecisionLine(const DecisionRecord& r) {
  log::Info("decision", {{"outcome", r.allowed ? "allowed" : "denied"},
                         {"principal", r.principal},
                         {"method", r.method},
                         {"action", r.action},
                         {"unit", r.unit_code},
                         {"indicators", absl::StrJoin(r.indicators, ",")},
                         {"criterion", r.criterion},
                         {"check", r.check},
                         {"reason", r.reason},
                         {"authenticated_by", r.authenticated_by},
                         {"transport", r.transport}});
}

}  // namespace ntm::gateway
