#include "services/common/flags.h"

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ntm {

Flags::Flags(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

void Flags::AddString(std::string name, std::string* target, std::string help) {
  entries_.push_back({name, std::move(help), *target, [target](absl::string_view v) {
                        *target = std::string(v);
                        return absl::OkStatus();
                      }});
}

void Flags::AddInt(std::string name, int* target, std::string help) {
  entries_.push_back(
      {name, std::move(help), absl::StrCat(*target), [target, name](absl::string_view v) {
         int parsed = 0;
         if (!absl::SimpleAtoi(v, &parsed)) {
           return absl::InvalidArgumentError(
               absl::StrFormat("%s: '%s' is not a whole number", name, v));
         }
         *target = parsed;
         return absl::OkStatus();
       }});
}

void Flags::AddDouble(std::string name, double* target, std::string help) {
  entries_.push_back(
      {name, std::move(help), absl::StrCat(*target), [target, name](absl::string_view v) {
         double parsed = 0;
         if (!absl::SimpleAtod(v, &parsed) || !(parsed >= 0)) {
           return absl::InvalidArgumentError(
               absl::StrFormat("%s: '%s' is not a number of at least 0", name, v));
         }
         *target = parsed;
         return absl::OkStatus();
       }});
}

void Flags::AddBool(std::string name, bool* target, std::string help) {
  Entry e{name, std::move(help), *target ? "true" : "false", [target, name](absl::string_view v) {
            std::string lower = absl::AsciiStrToLower(v);
            if (lower == "true" || lower == "1" || lower == "yes" || lower.empty()) {
              *target = true;
            } else if (lower == "false" || lower == "0" || lower == "no") {
              *target = false;
            } else {
              return absl::InvalidArgumentError(
                  absl::StrFormat("%s: '%s' is not true or false", name, v));
            }
            return absl::OkStatus();
          }};
  e.is_bool = true;
  entries_.push_back(std::move(e));
}

std::string Flags::EnvName(absl::string_view flag) {
  return absl::StrCat("NTM_", absl::AsciiStrToUpper(flag));
}

Flags::Entry* Flags::Find(absl::string_view name) {
  for (auto& e : entries_) {
    if (e.name == name) {
      return &e;
    }
  }
  return nullptr;
}

absl::Status Flags::Parse(int argc, const char* const* argv) {
  for (auto& e : entries_) {
    if (const char* v = std::getenv(EnvName(e.name).c_str()); v != nullptr) {
      if (absl::Status s = e.set(v); !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("environment ", EnvName(e.name), ": ", s.message()));
      }
    }
  }
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help_requested_ = true;
      return absl::OkStatus();
    }
    if (arg.substr(0, 2) != "--") {
      return absl::InvalidArgumentError(
          absl::StrFormat("unexpected argument '%s' (flags are --name=value)", arg));
    }
    arg.remove_prefix(2);
    absl::string_view name = arg;
    absl::string_view value;
    bool has_value = false;
    if (size_t eq = arg.find('='); eq != absl::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    Entry* e = Find(name);
    if (e == nullptr) {
      return absl::InvalidArgumentError(absl::StrFormat("unknown flag --%s (see --help)", name));
    }
    if (!has_value && !e->is_bool) {
      if (i + 1 >= argc) {
        return absl::InvalidArgumentError(absl::StrFormat("--%s needs a value", name));
      }
      value = argv[++i];
    }
    if (absl::Status s = e->set(value); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

std::string Flags::Usage() const {
  std::string out =
      absl::StrCat(program_, ": ", summary_,
                   "\n\nFlags (each also read from the environment variable shown):\n");
  for (const auto& e : entries_) {
    absl::StrAppendFormat(&out, "  --%s (%s, default \"%s\")\n      %s\n", e.name, EnvName(e.name),
                          e.default_text, e.help);
  }
  return out;
}

}  // namespace ntm
