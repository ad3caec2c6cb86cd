#include "services/common/request.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/status.h"

namespace ntm {
namespace {

bool AllDigits(absl::string_view s) {
  return !s.empty() && s.size() <= 16 &&
         std::all_of(s.begin(), s.end(), [](char c) { return absl::ascii_isdigit(c); });
}

// Resource ids: 3–40 lower-case letters, digits and '-'.
bool IsId(absl::string_view s) {
  return s.size() >= 3 && s.size() <= 40 && std::all_of(s.begin(), s.end(), [](char c) {
           return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-';
         });
}

}  // namespace

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

absl::StatusOr<std::pair<std::string, std::string>> ParseChildName(absl::string_view field,
                                                                   absl::string_view name,
                                                                   absl::string_view collection,
                                                                   absl::string_view example) {
  if (name.empty()) {
    return InvalidField(field, absl::StrCat("required, e.g. \"", example, "\""));
  }
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "units" || !AllDigits(parts[1]) || parts[2] != collection ||
      !IsId(parts[3])) {
    return InvalidField(field, absl::StrCat("'", name, "' is not a name like \"", example, "\""));
  }
  return std::make_pair(std::string(parts[1]), std::string(parts[3]));
}

absl::StatusOr<int64_t> ParseEtag(absl::string_view etag) {
  if (etag.empty()) {
    return 0;
  }
  absl::string_view v = etag;
  int64_t version = 0;
  if (!absl::ConsumePrefix(&v, "\"") || !absl::ConsumeSuffix(&v, "\"") ||
      !absl::SimpleAtoi(v, &version) || version <= 0) {
    return InvalidField("etag", absl::StrCat("'", etag, "' is not an etag this service issued"));
  }
  return version;
}

std::string Etag(int64_t version) { return absl::StrCat("\"", version, "\""); }

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view text) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day)) {
    return InvalidField(field, absl::StrCat("'", text, "' is not a date like \"2024-01-15\""));
  }
  return day;
}

absl::StatusOr<absl::Time> ParseTime(absl::string_view field, const google::protobuf::Timestamp& ts,
                                     bool has) {
  if (!has) {
    return InvalidField(field, "required");
  }
  // 0001-01-01 .. 9999-12-31, as google.protobuf.Timestamp allows.
  if (ts.seconds() < -62135596800LL || ts.seconds() > 253402300799LL || ts.nanos() < 0 ||
      ts.nanos() > 999999999) {
    return InvalidField(field, "not a valid timestamp");
  }
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

void ToTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t s = absl::ToUnixSeconds(t);
  out->set_seconds(s);
  out->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(s))));
}

std::string LocalTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", t, absl::FixedTimeZone(7 * 3600));
}

}  // namespace ntm
