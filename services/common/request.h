// Request parsing every service's API layer shares: unit resource names, page sizes and page
// tokens. Errors are INVALID_ARGUMENT naming the request field.
#ifndef NTM_SERVICES_COMMON_REQUEST_H_
#define NTM_SERVICES_COMMON_REQUEST_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ntm {

// "units/03424" -> "03424".
absl::StatusOr<std::string> ParseUnitName(absl::string_view field, absl::string_view name);

// Page sizes: 0 means `default_size`; negative or above `max_size` is INVALID_ARGUMENT.
absl::StatusOr<int> PageSize(int requested, int default_size, int max_size);

// Page tokens are opaque to callers: web-safe base64 of what the service needs to continue.
std::string EncodeToken(absl::string_view raw);
absl::StatusOr<std::string> DecodeToken(absl::string_view token);

}  // namespace ntm

#endif  // NTM_SERVICES_COMMON_REQUEST_H_
