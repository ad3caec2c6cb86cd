// Configuration by command-line flags and environment variables. Every setting has a flag
// --name=value and an environment variable NTM_NAME (upper case); a flag wins over the
// environment. Unknown flags are rejected, so a typo never passes silently.
#ifndef NTM_SERVICES_COMMON_FLAGS_H_
#define NTM_SERVICES_COMMON_FLAGS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ntm {

class Flags {
 public:
  explicit Flags(std::string program, std::string summary);

  void AddString(std::string name, std::string* target, std::string help);
  void AddInt(std::string name, int* target, std::string help);
  // A number of at least 0.
  void AddDouble(std::string name, double* target, std::string help);
  void AddBool(std::string name, bool* target, std::string help);

  // Reads the environment, then argv. Returns INVALID_ARGUMENT naming the flag on an unknown flag
  // or a bad value. `--help` sets help_requested() and returns OK.
  absl::Status Parse(int argc, const char* const* argv);
  bool help_requested() const { return help_requested_; }
  std::string Usage() const;

  // The environment variable of a flag: "db_port" -> "NTM_DB_PORT".
  static std::string EnvName(absl::string_view flag);

 private:
  struct Entry {
    std::string name;
    std::string help;
    std::string default_text;
    std::function<absl::Status(absl::string_view)> set;
    bool is_bool = false;
  };
  Entry* Find(absl::string_view name);

  std::string program_;
  std::string summary_;
  std::vector<Entry> entries_;
  bool help_requested_ = false;
};

}  // namespace ntm

#endif  // NTM_SERVICES_COMMON_FLAGS_H_
