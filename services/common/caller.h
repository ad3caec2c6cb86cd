// Who is calling: set by the gateway in request metadata after it authenticated the caller.
#ifndef NTM_SERVICES_COMMON_CALLER_H_
#define NTM_SERVICES_COMMON_CALLER_H_

#include <string>

namespace ntm {

inline constexpr char kPrincipalHeader[] = "x-ntm-principal";
inline constexpr char kAgencyHeader[] = "x-ntm-agency";

struct Caller {
  // The principal id; "anonymous" when the metadata has none.
  std::string principal = "anonymous";
  // The agency resource name ("agencies/{id}") the principal acts for; empty for a commune
  // officer.
  std::string agency;
};

}  // namespace ntm

#endif  // NTM_SERVICES_COMMON_CALLER_H_
