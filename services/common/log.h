// Structured logs: one JSON object per line on standard error, so that a log shipper can parse
// them without rules, and Vietnamese text stays UTF-8.
#ifndef NTM_SERVICES_COMMON_LOG_H_
#define NTM_SERVICES_COMMON_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ntm::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

using Field = std::pair<absl::string_view, absl::string_view>;

// Parses "debug", "info", "warn" or "error".
absl::StatusOr<Level> ParseLevel(absl::string_view name);

// Process-wide settings; call before starting threads.
void SetLevel(Level level);
void SetService(absl::string_view service);
bool Enabled(Level level);

// Writes {"ts":...,"level":...,"service":...,"msg":..., fields...} as one line.
void Write(Level level, absl::string_view msg, std::initializer_list<Field> fields = {});

inline void Debug(absl::string_view msg, std::initializer_list<Field> fields = {}) {
  Write(Level::kDebug, msg, fields);
}
inline void Info(absl::string_view msg, std::initializer_list<Field> fields = {}) {
  Write(Level::kInfo, msg, fields);
}
inline void Warn(absl::string_view msg, std::initializer_list<Field> fields = {}) {
  Write(Level::kWarn, msg, fields);
}
inline void Error(absl::string_view msg, std::initializer_list<Field> fields = {}) {
  Write(Level::kError, msg, fields);
}

// Appends `s` to `out` as the body of a JSON string (without quotes).
void AppendJsonEscaped(std::string& out, absl::string_view s);

}  // namespace ntm::log

#endif  // NTM_SERVICES_COMMON_LOG_H_
