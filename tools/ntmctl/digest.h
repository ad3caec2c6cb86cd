// Content digests for idempotent requests.
#ifndef NTM_TOOLS_NTMCTL_DIGEST_H_
#define NTM_TOOLS_NTMCTL_DIGEST_H_

#include <string>

#include "absl/strings/string_view.h"

namespace ntm::ntmctl {

// The SHA-256 digest of `data` in lowercase hex (64 characters). A stable, well-known hash: unlike
// absl::Hash it gives the same result in every process and on every machine.
std::string Sha256Hex(absl::string_view data);

// A request_id (at most 64 characters, AIP-155) that depends only on `kind`, `target` and
// `content`, so re-running the same command on the same input sends the same id and the server does
// the work only once, e.g. RequestId("values", "units/03424/assessments/2023-12-31", csv).
std::string RequestId(absl::string_view kind, absl::string_view target, absl::string_view content);

}  // namespace ntm::ntmctl

#endif  // NTM_TOOLS_NTMCTL_DIGEST_H_
