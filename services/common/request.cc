#include "services/common/request.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "services/common/status.h"

namespace ntm {

absl::StatusOr<std::string> ParseUnitName(absl::string_view field, absl::string_view name) {
  if (name.empty()) {
    return InvalidField(field, "required, e.g. \"units/03424\"");
  }
  absl::string_view code = name;
  // Official codes are digits: 2 for a province, 3 for a district, 5 for a commune; the column
  // holds 16.
  if (!absl::ConsumePrefix(&code, "units/") || code.empty() || code.size() > 16 ||
      !std::all_of(code.begin(), code.end(), [](char c) { return absl::ascii_isdigit(c); })) {
    return InvalidField(field,
                        absl::StrCat("'", name, "' is not a unit name like \"units/03424\""));
  }
  return std::string(code);
}

absl::StatusOr<int> PageSize(int requested, int default_size, int max_size) {
  if (requested < 0 || requested > max_size) {
    return InvalidField("page_size", absl::StrFormat("%d is outside 0–%d", requested, max_size));
  }
  return requested == 0 ? default_size : requested;
}

std::string EncodeToken(absl::string_view raw) { return absl::WebSafeBase64Escape(raw); }

absl::StatusOr<std::string> DecodeToken(absl::string_view token) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) {
    return InvalidField("page_token", "not a token this service issued");
  }
  return raw;
}

}  // namespace ntm
