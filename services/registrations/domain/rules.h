// The registration rules as pure functions: what a registration's content may hold, and what it
// still lacks before it can be sent to the district.
#ifndef NTM_SERVICES_REGISTRATIONS_DOMAIN_RULES_H_
#define NTM_SERVICES_REGISTRATIONS_DOMAIN_RULES_H_

#include <set>
#include <string>
#include <vector>

#include "services/registrations/domain/model.h"

namespace ntm::registrations {

// Every problem of a registration's content, each naming the field
// ("village_changes[2].village: …"): a model point without content; a change for a village that
// is not one of the commune's, or for a village given twice, or without content; an indicator the
// criteria set does not know, or given twice; an endorsement of a body given twice or without who
// signed; texts over their length. Empty when it can be stored (complete or not).
std::vector<std::string> ContentProblems(const RegistrationContent& content,
                                         const std::vector<Village>& villages,
                                         const std::set<std::string>& known_indicators);

// What the registration still lacks before submission, one line each: the model point, each
// village without its change (by name and code), each body that has not endorsed it. Empty when
// it is complete.
std::vector<std::string> Missing(const RegistrationContent& content,
                                 const std::vector<Village>& villages);

// The villages (codes) without a change.
std::vector<std::string> VillagesWithoutChange(const RegistrationContent& content,
                                               const std::vector<Village>& villages);

// "Đảng ủy xã", "HĐND xã", "UBND xã", "Ban chỉ đạo xã".
const char* EndorsementBodyName(EndorsementBody body);

}  // namespace ntm::registrations

#endif  // NTM_SERVICES_REGISTRATIONS_DOMAIN_RULES_H_
