// Command-line parsing of ntmctl: options, global settings, resource names and dates, and the error
// kinds that decide the exit code.
#ifndef NTM_TOOLS_NTMCTL_ARGS_H_
#define NTM_TOOLS_NTMCTL_ARGS_H_

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace ntm::ntmctl {

// The command line split into positional words and options.
struct ParsedArgs {
  // Words that are not options, in order: the command, its subcommand and its arguments.
  std::vector<std::string> positionals;
  // Options by name without dashes ("server", "as-of"); a flag without a value maps to "". An
  // option given more than once maps to its first value.
  std::map<std::string, std::string> options;
  // Every value of the options given more than once, in order (only --reason may be).
  std::map<std::string, std::vector<std::string>> repeated;

  // Every value of option `name`, in order: none, its one value, or all of its repeats.
  std::vector<std::string> AllValues(const std::string& name) const;
};

// Splits `args` (argv without the program name). Options are "--name=value" or "--name value" for
// options that take a value, "--json", "--help" ("-h") and the other flags without; they may come
// before or after the command. "--" ends options. Usage errors (see UsageError) for an unknown
// option, a missing value, a value given to a flag, or an option given twice (except --reason,
// which `plan return` takes once per reason; see CheckCommandOptions).
absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args);

// Usage error if `parsed` has an option that is neither global nor in `allowed`, or has an option
// given more than once that is not in `repeatable`.
absl::Status CheckCommandOptions(const ParsedArgs& parsed, absl::string_view command,
                                 const std::set<std::string, std::less<>>& allowed,
                                 const std::set<std::string, std::less<>>& repeatable = {});

// Reads an environment variable; returns nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The settings every command shares.
struct GlobalOptions {
  // Where the service listens, HOST:PORT.
  std::string server = "127.0.0.1:50051";
  // Sent as the x-ntm-principal request metadata.
  std::string principal = "ntmctl";
  // Sent as the x-ntm-agency request metadata when not empty, "agencies/ID".
  std::string agency;
  // The deadline of every call, counted from its start.
  absl::Duration timeout = absl::Seconds(10);
  // Print responses as protobuf JSON instead of tables.
  bool json = false;
  // A bearer token for the gateway, sent as "authorization: Bearer <token>" when not empty.
  std::string token;
  // Speak TLS to the server, trusting `ca_pem` (PEM certificates) or, when it is empty, the
  // system's certificate authorities.
  bool tls = false;
  std::string ca_pem;
};

// The global options from `parsed`, falling back to the environment (NTM_SERVER, NTM_PRINCIPAL) and
// then to the defaults. Usage errors for a bad timeout, principal or agency.
absl::StatusOr<GlobalOptions> ReadGlobalOptions(const ParsedArgs& parsed, const EnvLookup& env);

// "03424" or "units/03424" → "units/03424". Usage error unless the code is digits.
absl::StatusOr<std::string> UnitName(absl::string_view text);
// "lai-chau-2022" or "criteriaSets/lai-chau-2022" → "criteriaSets/lai-chau-2022".
absl::StatusOr<std::string> CriteriaSetName(absl::string_view text);
// "agencies/tam-duong-y-te" or "tam-duong-y-te" → "agencies/tam-duong-y-te".
absl::StatusOr<std::string> AgencyName(absl::string_view text);
// "units/03424/assessments/2023-12-31", or the short "03424/2023-12-31" → the full name.
absl::StatusOr<std::string> AssessmentName(absl::string_view text);
// Usage error unless `text` is a real calendar date written "YYYY-MM-DD".
absl::Status CheckDate(absl::string_view text);

// "units/106/directives/tam-duong-2024", or the short "106/tam-duong-2024" (also
// "106/directives/tam-duong-2024") → the full name of a directive.
absl::StatusOr<std::string> DirectiveName(absl::string_view text);
// A directive's id: "tam-duong-2024" as it is, or the id of a directive name in any form that
// DirectiveName accepts. Usage error unless it is lower-case letters, digits and '-' (at most 64).
absl::StatusOr<std::string> DirectiveId(absl::string_view text);
// "units/03424/plans/tam-duong-2024", or the short "03424/tam-duong-2024" (also
// "03424/plans/tam-duong-2024") → the full name of a plan.
absl::StatusOr<std::string> PlanName(absl::string_view text);
// The plan of commune `commune` ("03424" or "units/03424") for directive `directive` (an id or a
// directive name, see DirectiveId): "units/03424/plans/tam-duong-2024".
absl::StatusOr<std::string> PlanNameFor(absl::string_view commune, absl::string_view directive);
// "units/03424/registrations/tam-duong-2024", or the short "03424/tam-duong-2024" (also
// "03424/registrations/tam-duong-2024") → the full name of a registration.
absl::StatusOr<std::string> RegistrationName(absl::string_view text);
// The registration of commune `commune` for directive `directive` (see PlanNameFor).
absl::StatusOr<std::string> RegistrationNameFor(absl::string_view commune,
                                                absl::string_view directive);
// An inbox: "03424" or "units/03424" (a commune's or district's office), "agencies/ID" (an
// agency's members), "principals/ID" (one person). Usage error for anything else.
absl::StatusOr<std::string> InboxName(absl::string_view text);
// An etag as typed on a command line. The plans service prints its etags with double quotes
// (etag: "5") and a shell drops quotes typed around a value, so an etag without its quotes gets
// them back; one already quoted is kept as it is. Usage error for an empty etag or one with spaces
// or control characters.
absl::StatusOr<std::string> EtagArg(absl::string_view text);

// Errors that are the user's mistake on the command line: exit code 2 and the usage hint.
absl::Status UsageError(absl::string_view message);
bool IsUsageError(const absl::Status& status);
// Errors found by ntmctl itself (a bad input file): exit code 1, printed without a code name.
absl::Status LocalError(absl::string_view message);
bool IsLocalError(const absl::Status& status);

}  // namespace ntm::ntmctl

#endif  // NTM_TOOLS_NTMCTL_ARGS_H_
