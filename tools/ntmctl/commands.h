// The commands of ntmctl: each reads its arguments, calls the assessment service's CatalogService,
// DirectoryService or AssessmentService, the plans service's DirectiveService or PlanService, or
// the registrations service's RegistrationService, and prints the result.
#ifndef NTM_TOOLS_NTMCTL_COMMANDS_H_
#define NTM_TOOLS_NTMCTL_COMMANDS_H_

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/channel.h"
#include "tools/ntmctl/args.h"

namespace ntm::ntmctl {

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;  // the service refused, or an input file is bad
inline constexpr int kExitUsage = 2;  // the command line is wrong

// Where a run reads and writes, so that a test can run ntmctl in-process.
struct Io {
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  // Read for a values file named "-".
  std::istream* in = nullptr;
  // The environment (NTM_SERVER, NTM_PRINCIPAL).
  EnvLookup env;
  // Opens a channel to HOST:PORT, shared by the stubs of both services; an insecure channel when
  // not set.
  std::function<std::shared_ptr<grpc::ChannelInterface>(const std::string& server)> connect;
};

// The usage text.
std::string UsageText();

// Runs ntmctl with `args` (argv without the program name) and returns the exit code. Errors of the
// service are printed to io.err as "lỗi: <CODE_NAME>: <message>" (exit 1); command-line mistakes as
// "lỗi: <message>" with a hint (exit 2).
int RunNtmctl(const std::vector<std::string>& args, const Io& io);

}  // namespace ntm::ntmctl

#endif  // NTM_TOOLS_NTMCTL_COMMANDS_H_
