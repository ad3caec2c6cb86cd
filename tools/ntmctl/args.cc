#include "tools/ntmctl/args.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "tools/ntmctl/values.h"

namespace ntm::ntmctl {
namespace {

constexpr absl::string_view kErrorKindUrl = "type.ntm.vn/ntmctl.ErrorKind";

// Options that take a value, global or of some command.
const std::set<std::string, std::less<>>& ValueOptions() {
  static const auto* const kOptions = new std::set<std::string, std::less<>>{
      "server",     "as",     "agency",       "timeout",    "level",   "as-of",     "token",
      "token-file", "reason", "criteria-set", "value",      "year",    "status",    "source",
      "etag",       "note",   "from",         "content",    "place",   "topic",     "indicators",
      "kind",       "state",  "limit",        "units",      "message", "directive", "channel",
      "address",    "secret", "kinds",        "request-id", "ca-file"};
  return *kOptions;
}

// Options without a value.
const std::set<std::string, std::less<>>& FlagOptions() {
  static const auto* const kOptions = new std::set<std::string, std::less<>>{
      "json", "help", "clear", "drafts", "unread", "all", "tls"};
  return *kOptions;
}

// Options that may be given more than once; the command decides whether it takes them so.
bool MayRepeat(absl::string_view name) { return name == "reason"; }

bool IsGlobalOption(absl::string_view name) {
  return name == "server" || name == "as" || name == "agency" || name == "timeout" ||
         name == "token" || name == "token-file" || name == "json" || name == "help" ||
         name == "tls" || name == "ca-file";
}

absl::Status WithKind(absl::Status status, absl::string_view kind) {
  status.SetPayload(kErrorKindUrl, absl::Cord(kind));
  return status;
}

bool HasKind(const absl::Status& status, absl::string_view kind) {
  const auto payload = status.GetPayload(kErrorKindUrl);
  return payload.has_value() && *payload == kind;
}

bool AllDigits(absl::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

bool IsResourceId(absl::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (const char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
      return false;
    }
  }
  return true;
}

bool IsPrintableAscii(absl::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7E) {
      return false;
    }
  }
  return true;
}

// A directive id as the plans service takes it: lower-case letters, digits and '-', 1–64 of them.
bool IsDirectiveId(absl::string_view text) {
  if (text.empty() || text.size() > 64) {
    return false;
  }
  for (const char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  return true;
}

// Splits "units/{code}/{collection}/{id}", "{code}/{collection}/{id}" or "{code}/{id}" into the
// code and the id; nullopt unless the code is digits and the id a directive id.
std::optional<std::pair<std::string, std::string>> SplitChildName(absl::string_view text,
                                                                  absl::string_view collection) {
  absl::string_view rest = text;
  absl::ConsumePrefix(&rest, "units/");
  const size_t slash = rest.find('/');
  if (slash == absl::string_view::npos) {
    return std::nullopt;
  }
  const absl::string_view code = rest.substr(0, slash);
  absl::string_view id = rest.substr(slash + 1);
  absl::ConsumePrefix(&id, absl::StrCat(collection, "/"));
  if (!AllDigits(code) || !IsDirectiveId(id)) {
    return std::nullopt;
  }
  return std::make_pair(std::string(code), std::string(id));
}

}  // namespace

std::vector<std::string> ParsedArgs::AllValues(const std::string& name) const {
  if (const auto it = repeated.find(name); it != repeated.end()) {
    return it->second;
  }
  if (const auto it = options.find(name); it != options.end()) {
    return {it->second};
  }
  return {};
}

absl::Status UsageError(absl::string_view message) {
  return WithKind(absl::InvalidArgumentError(message), "usage");
}

bool IsUsageError(const absl::Status& status) { return HasKind(status, "usage"); }

absl::Status LocalError(absl::string_view message) {
  return WithKind(absl::InvalidArgumentError(message), "local");
}

bool IsLocalError(const absl::Status& status) { return HasKind(status, "local"); }

absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args) {
  ParsedArgs parsed;
  bool options_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_ended || arg == "-" || !absl::StartsWith(arg, "-")) {
      parsed.positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    if (arg == "-h") {
      parsed.options["help"] = "";
      continue;
    }
    if (!absl::StartsWith(arg, "--")) {
      return UsageError(absl::StrFormat("tùy chọn không hợp lệ: %s", arg));
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (ValueOptions().contains(name)) {
      if (!value.has_value()) {
        if (i + 1 >= args.size()) {
          return UsageError(
              absl::StrFormat("tùy chọn --%s cần một giá trị (--%s=...)", name, name));
        }
        value = args[++i];
      }
    } else if (FlagOptions().contains(name)) {
      if (value.has_value()) {
        return UsageError(absl::StrFormat("tùy chọn --%s không nhận giá trị", name));
      }
      value = "";
    } else {
      return UsageError(absl::StrFormat("tùy chọn không hợp lệ: --%s", name));
    }
    if (const auto [it, inserted] = parsed.options.emplace(name, *value); !inserted) {
      if (!MayRepeat(name)) {
        return UsageError(absl::StrFormat("tùy chọn --%s được cho hai lần", name));
      }
      std::vector<std::string>& values = parsed.repeated[name];
      if (values.empty()) {
        values.push_back(it->second);
      }
      values.push_back(*value);
    }
  }
  return parsed;
}

absl::Status CheckCommandOptions(const ParsedArgs& parsed, absl::string_view command,
                                 const std::set<std::string, std::less<>>& allowed,
                                 const std::set<std::string, std::less<>>& repeatable) {
  for (const auto& [name, value] : parsed.options) {
    if (!IsGlobalOption(name) && !allowed.contains(name)) {
      return UsageError(absl::StrFormat(
          "lệnh \"%s\" không có tùy chọn --%s%s", command, name,
          allowed.empty() ? std::string()
                          : absl::StrCat(" (có: --", absl::StrJoin(allowed, ", --"), ")")));
    }
  }
  for (const auto& [name, values] : parsed.repeated) {
    if (!repeatable.contains(name)) {
      return UsageError(absl::StrFormat("tùy chọn --%s được cho hai lần", name));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<GlobalOptions> ReadGlobalOptions(const ParsedArgs& parsed, const EnvLookup& env) {
  GlobalOptions options;
  const auto option = [&](const std::string& name) -> std::optional<std::string> {
    const auto it = parsed.options.find(name);
    if (it == parsed.options.end()) {
      return std::nullopt;
    }
    return it->second;
  };
  const auto from_env = [&](const std::string& name) -> std::optional<std::string> {
    std::optional<std::string> value = env ? env(name) : std::nullopt;
    if (value.has_value() && value->empty()) {
      return std::nullopt;
    }
    return value;
  };

  if (std::optional<std::string> server = option("server"); server.has_value()) {
    options.server = *server;
  } else if (std::optional<std::string> server_env = from_env("NTM_SERVER");
             server_env.has_value()) {
    options.server = *server_env;
  }
  if (options.server.empty() || !IsPrintableAscii(options.server) ||
      options.server.find(' ') != std::string::npos) {
    return UsageError(
        absl::StrFormat("--server không hợp lệ: \"%s\" (cần HOST:PORT)", options.server));
  }

  if (std::optional<std::string> principal = option("as"); principal.has_value()) {
    options.principal = *principal;
  } else if (std::optional<std::string> principal_env = from_env("NTM_PRINCIPAL");
             principal_env.has_value()) {
    options.principal = *principal_env;
  }
  if (options.principal.empty() || !IsPrintableAscii(options.principal)) {
    return UsageError(
        absl::StrFormat("--as không hợp lệ: \"%s\" (mã người dùng chỉ gồm chữ cái không dấu, chữ "
                        "số và dấu gạch, ví dụ can-bo-ban-bo)",
                        options.principal));
  }

  if (std::optional<std::string> agency = option("agency"); agency.has_value()) {
    absl::StatusOr<std::string> name = AgencyName(*agency);
    if (!name.ok()) {
      return name.status();
    }
    options.agency = *name;
  }

  if (std::optional<std::string> timeout = option("timeout"); timeout.has_value()) {
    absl::Duration duration;
    absl::StatusOr<double> seconds = ParseDecimal(*timeout);
    if (seconds.ok() && absl::StrContains(*timeout, ',')) {
      seconds = absl::InvalidArgumentError("");  // "1,5" on a command line is most likely a typo
    }
    if (seconds.ok()) {
      duration = absl::Seconds(*seconds);
    } else if (!absl::ParseDuration(*timeout, &duration)) {
      duration = absl::ZeroDuration();
    }
    if (duration <= absl::ZeroDuration() || duration > absl::Hours(1)) {
      return UsageError(absl::StrFormat(
          "--timeout không hợp lệ: \"%s\" (số giây lớn hơn 0, tối đa 3600, ví dụ --timeout=30)",
          *timeout));
    }
    options.timeout = duration;
  }

  // A bearer token for the gateway: --token, --token-file, or NTM_TOKEN / NTM_TOKEN_FILE.
  std::optional<std::string> token = option("token");
  std::optional<std::string> token_file = option("token-file");
  if (!token.has_value() && !token_file.has_value()) {
    token = from_env("NTM_TOKEN");
    token_file = from_env("NTM_TOKEN_FILE");
  }
  if (token.has_value()) {
    options.token = *token;
  } else if (token_file.has_value()) {
    std::ifstream in(*token_file);
    if (!in || !std::getline(in, options.token)) {
      return UsageError(absl::StrFormat("không đọc được tệp mã truy cập \"%s\"", *token_file));
    }
  }
  options.token = std::string(absl::StripAsciiWhitespace(options.token));
  if (!IsPrintableAscii(options.token) || options.token.find(' ') != std::string::npos) {
    return UsageError("mã truy cập (--token) không hợp lệ");
  }

  // TLS: --tls (the system's CAs) or --ca-file=FILE (that CA; implies --tls), or NTM_TLS=1 /
  // NTM_CA_FILE.
  std::optional<std::string> ca_file = option("ca-file");
  if (!ca_file.has_value()) {
    ca_file = from_env("NTM_CA_FILE");
  }
  std::optional<std::string> tls_env = from_env("NTM_TLS");
  options.tls = parsed.options.contains("tls") || ca_file.has_value() ||
                (tls_env.has_value() && (*tls_env == "1" || *tls_env == "true"));
  if (ca_file.has_value()) {
    std::ifstream in(*ca_file, std::ios::binary);
    std::stringstream pem;
    pem << in.rdbuf();
    if (!in || pem.str().find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      return UsageError(absl::StrFormat(
          "không đọc được chứng chỉ CA trong tệp \"%s\" (--ca-file cần tệp PEM)", *ca_file));
    }
    options.ca_pem = pem.str();
  }

  options.json = parsed.options.contains("json");
  return options;
}

absl::StatusOr<std::string> UnitName(absl::string_view text) {
  absl::string_view code = text;
  absl::ConsumePrefix(&code, "units/");
  if (!AllDigits(code)) {
    return UsageError(
        absl::StrFormat("mã đơn vị không hợp lệ: \"%s\" (cần mã số của đơn vị hành chính, ví dụ "
                        "03424 hoặc units/03424)",
                        text));
  }
  return absl::StrCat("units/", code);
}

absl::StatusOr<std::string> CriteriaSetName(absl::string_view text) {
  absl::string_view id = text;
  absl::ConsumePrefix(&id, "criteriaSets/");
  if (!IsResourceId(id)) {
    return UsageError(
        absl::StrFormat("tên bộ tiêu chí không hợp lệ: \"%s\" (ví dụ lai-chau-2022 hoặc "
                        "criteriaSets/lai-chau-2022)",
                        text));
  }
  return absl::StrCat("criteriaSets/", id);
}

absl::StatusOr<std::string> AgencyName(absl::string_view text) {
  absl::string_view id = text;
  absl::ConsumePrefix(&id, "agencies/");
  if (!IsResourceId(id)) {
    return UsageError(
        absl::StrFormat("--agency không hợp lệ: \"%s\" (ví dụ agencies/tam-duong-y-te)", text));
  }
  return absl::StrCat("agencies/", id);
}

absl::StatusOr<std::string> AssessmentName(absl::string_view text) {
  absl::string_view rest = text;
  absl::ConsumePrefix(&rest, "units/");
  const size_t slash = rest.find('/');
  const auto invalid = [&]() {
    return UsageError(
        absl::StrFormat("tên bản đánh giá không hợp lệ: \"%s\" (ví dụ "
                        "units/03424/assessments/2023-12-31 hoặc 03424/2023-12-31)",
                        text));
  };
  if (slash == absl::string_view::npos) {
    return invalid();
  }
  const absl::string_view code = rest.substr(0, slash);
  absl::string_view date = rest.substr(slash + 1);
  absl::ConsumePrefix(&date, "assessments/");
  if (!AllDigits(code) || !CheckDate(date).ok()) {
    return invalid();
  }
  return absl::StrCat("units/", code, "/assessments/", date);
}

absl::Status CheckDate(absl::string_view text) {
  const auto invalid = [&]() {
    return UsageError(
        absl::StrFormat("ngày không hợp lệ: \"%s\" (cần dạng YYYY-MM-DD, ví dụ 2023-12-31)", text));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return invalid();
  }
  int year = 0;
  int month = 0;
  int day = 0;
  if (!AllDigits(text.substr(0, 4)) || !AllDigits(text.substr(5, 2)) ||
      !AllDigits(text.substr(8, 2)) || !absl::SimpleAtoi(text.substr(0, 4), &year) ||
      !absl::SimpleAtoi(text.substr(5, 2), &month) || !absl::SimpleAtoi(text.substr(8, 2), &day)) {
    return invalid();
  }
  const absl::CivilDay civil(year, month, day);
  if (civil.year() != year || civil.month() != month || civil.day() != day) {
    return invalid();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> DirectiveName(absl::string_view text) {
  const std::optional<std::pair<std::string, std::string>> parts =
      SplitChildName(text, "directives");
  if (!parts.has_value()) {
    return UsageError(
        absl::StrFormat("tên văn bản chỉ đạo không hợp lệ: \"%s\" (ví dụ "
                        "units/106/directives/tam-duong-2024 hoặc 106/tam-duong-2024)",
                        text));
  }
  return absl::StrCat("units/", parts->first, "/directives/", parts->second);
}

absl::StatusOr<std::string> InboxName(absl::string_view text) {
  const auto is_code = [](absl::string_view code) {
    return !code.empty() && code.size() <= 8 &&
           std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const auto is_id = [](absl::string_view id) {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    });
  };
  if (is_code(text)) {
    return absl::StrCat("units/", text);
  }
  for (const absl::string_view kind : {"units/", "agencies/", "principals/"}) {
    if (absl::StartsWith(text, kind)) {
      const absl::string_view rest = text.substr(kind.size());
      if (kind == "units/" ? is_code(rest) : is_id(rest)) {
        return std::string(text);
      }
    }
  }
  return UsageError(absl::StrFormat(
      "hộp thư không hợp lệ: \"%s\" (mã xã hoặc huyện như 03424, agencies/ID của cơ quan, "
      "principals/ID của một người)",
      text));
}

absl::StatusOr<std::string> DirectiveId(absl::string_view text) {
  if (IsDirectiveId(text)) {
    return std::string(text);
  }
  if (const auto parts = SplitChildName(text, "directives"); parts.has_value()) {
    return parts->second;
  }
  return UsageError(
      absl::StrFormat("mã văn bản chỉ đạo không hợp lệ: \"%s\" (chữ thường không dấu, chữ số và "
                      "dấu '-', ví dụ tam-duong-2024, hoặc tên đầy đủ "
                      "units/106/directives/tam-duong-2024)",
                      text));
}

absl::StatusOr<std::string> PlanName(absl::string_view text) {
  const std::optional<std::pair<std::string, std::string>> parts = SplitChildName(text, "plans");
  if (!parts.has_value()) {
    return UsageError(absl::StrFormat(
        "tên kế hoạch không hợp lệ: \"%s\" (ví dụ units/03424/plans/tam-duong-2024 hoặc "
        "03424/tam-duong-2024)",
        text));
  }
  return absl::StrCat("units/", parts->first, "/plans/", parts->second);
}

absl::StatusOr<std::string> PlanNameFor(absl::string_view commune, absl::string_view directive) {
  absl::StatusOr<std::string> unit = UnitName(commune);
  if (!unit.ok()) {
    return unit.status();
  }
  absl::StatusOr<std::string> id = DirectiveId(directive);
  if (!id.ok()) {
    return id.status();
  }
  return absl::StrCat(*unit, "/plans/", *id);
}

absl::StatusOr<std::string> RegistrationName(absl::string_view text) {
  const std::optional<std::pair<std::string, std::string>> parts =
      SplitChildName(text, "registrations");
  if (!parts.has_value()) {
    return UsageError(absl::StrFormat(
        "tên bản đăng ký không hợp lệ: \"%s\" (ví dụ units/03424/registrations/tam-duong-2024 "
        "hoặc 03424/tam-duong-2024)",
        text));
  }
  return absl::StrCat("units/", parts->first, "/registrations/", parts->second);
}

absl::StatusOr<std::string> RegistrationNameFor(absl::string_view commune,
                                                absl::string_view directive) {
  absl::StatusOr<std::string> unit = UnitName(commune);
  if (!unit.ok()) {
    return unit.status();
  }
  absl::StatusOr<std::string> id = DirectiveId(directive);
  if (!id.ok()) {
    return id.status();
  }
  return absl::StrCat(*unit, "/registrations/", *id);
}

absl::StatusOr<std::string> EtagArg(absl::string_view text) {
  if (text.empty() || !IsPrintableAscii(text) || absl::StrContains(text, ' ')) {
    return UsageError(absl::StrFormat(
        "--etag không hợp lệ: \"%s\" (dùng etag in ra ở lần đọc trước, ví dụ --etag=5)", text));
  }
  if (absl::StartsWith(text, "\"")) {
    return std::string(text);
  }
  return absl::StrCat("\"", text, "\"");
}

}  // namespace ntm::ntmctl
