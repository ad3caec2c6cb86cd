// ntmctl: a command-line client of the NTM services behind the gateway: assessment (CatalogService,
// DirectoryService, AssessmentService), plans (DirectiveService, PlanService), registrations and
// notifications. See `ntmctl help`.
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "tools/ntmctl/commands.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  ntm::ntmctl::Io io;
  io.out = &std::cout;
  io.err = &std::cerr;
  io.in = &std::cin;
  io.env = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) {
      return std::nullopt;
    }
    return std::string(value);
  };
  return ntm::ntmctl::RunNtmctl(args, io);
}
