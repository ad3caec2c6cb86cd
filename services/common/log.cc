#include "services/common/log.h"

#include <atomic>
#include <cstdio>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace ntm::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::string* g_service = new std::string("ntm");
absl::Mutex g_write_mu;

absl::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

}  // namespace

absl::StatusOr<Level> ParseLevel(absl::string_view name) {
  if (name == "debug") {
    return Level::kDebug;
  }
  if (name == "info") {
    return Level::kInfo;
  }
  if (name == "warn") {
    return Level::kWarn;
  }
  if (name == "error") {
    return Level::kError;
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("log_level: '%s' is not one of debug, info, warn, error", name));
}

void SetLevel(Level level) { g_level.store(static_cast<int>(level)); }

void SetService(absl::string_view service) { *g_service = std::string(service); }

bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

void AppendJsonEscaped(std::string& out, absl::string_view s) {
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);  // UTF-8 passes through unchanged.
        }
    }
  }
}

void Write(Level level, absl::string_view msg, std::initializer_list<Field> fields) {
  if (!Enabled(level)) {
    return;
  }
  std::string line = "{\"ts\":\"";
  line += absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone());
  line += "\",\"level\":\"";
  line.append(LevelName(level).data(), LevelName(level).size());
  line += "\",\"service\":\"";
  AppendJsonEscaped(line, *g_service);
  line += "\",\"msg\":\"";
  AppendJsonEscaped(line, msg);
  line += '"';
  for (const auto& [key, value] : fields) {
    line += ",\"";
    AppendJsonEscaped(line, key);
    line += "\":\"";
    AppendJsonEscaped(line, value);
    line += '"';
  }
  line += "}\n";
  absl::MutexLock lock(&g_write_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace ntm::log
