// Request parsing every service's API layer shares: unit resource names, page sizes and page
// tokens. Errors are INVALID_ARGUMENT naming the request field.
#ifndef NTM_SERVICES_COMMON_REQUEST_H_
#define NTM_SERVICES_COMMON_REQUEST_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace ntm {

// "units/03424" -> "03424".
absl::StatusOr<std::string> ParseUnitName(absl::string_view field, absl::string_view name);

// Page sizes: 0 means `default_size`; negative or above `max_size` is INVALID_ARGUMENT.
absl::StatusOr<int> PageSize(int requested, int default_size, int max_size);

// Page tokens are opaque to callers: web-safe base64 of what the service needs to continue.
std::string EncodeToken(absl::string_view raw);
absl::StatusOr<std::string> DecodeToken(absl::string_view token);

// "units/{code}/{collection}/{id}" -> {code, id}; `example` shows the form in the error.
absl::StatusOr<std::pair<std::string, std::string>> ParseChildName(absl::string_view field,
                                                                   absl::string_view name,
                                                                   absl::string_view collection,
                                                                   absl::string_view example);

// Etags are a quoted version, "\"7\""; "" parses to 0 (no check).
absl::StatusOr<int64_t> ParseEtag(absl::string_view etag);
std::string Etag(int64_t version);

// "YYYY-MM-DD".
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view text);
// A timestamp that must be set (`has`) and valid.
absl::StatusOr<absl::Time> ParseTime(absl::string_view field, const google::protobuf::Timestamp& ts,
                                     bool has);
void ToTimestamp(absl::Time t, google::protobuf::Timestamp* out);
// An instant as shown in Asia/Ho_Chi_Minh, "2024-02-10T23:59:59+07:00".
std::string LocalTime(absl::Time t);

}  // namespace ntm

#endif  // NTM_SERVICES_COMMON_REQUEST_H_
