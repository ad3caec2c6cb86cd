// One error policy for every service. Errors travel as absl::Status with the canonical codes
// (the same codes gRPC uses) and a message meant for the caller:
//   INVALID_ARGUMENT    "<field>: <what is wrong>" — the request can never succeed as written
//   NOT_FOUND           "<resource name> not found"
//   ALREADY_EXISTS      the resource (or request id) exists
//   FAILED_PRECONDITION the resource is in the wrong lifecycle state for the call
//   ABORTED             a stale etag or a lost concurrency race; read again and retry
//   PERMISSION_DENIED   names the rule that denies
//   UNAVAILABLE         a dependency (database, another service) is down; retry later
//   INTERNAL            a bug or an unexpected database error; details only in the log
#ifndef NTM_SERVICES_COMMON_STATUS_H_
#define NTM_SERVICES_COMMON_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ntm {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// INVALID_ARGUMENT with the message "<field>: <message>".
absl::Status InvalidField(absl::string_view field, absl::string_view message);

// Returns early from the enclosing function with the status when it is not OK.
#define NTM_RETURN_IF_ERROR(expr)                       \
  do {                                                  \
    if (::absl::Status _ntm_s = (expr); !_ntm_s.ok()) { \
      return _ntm_s;                                    \
    }                                                   \
  } while (false)

#define NTM_CONCAT_INNER_(a, b) a##b
#define NTM_CONCAT_(a, b) NTM_CONCAT_INNER_(a, b)
// Declares `lhs` from a StatusOr, returning its status when it is not OK.
#define NTM_ASSIGN_OR_RETURN(lhs, expr) \
  NTM_ASSIGN_OR_RETURN_IMPL_(NTM_CONCAT_(_ntm_so_, __LINE__), lhs, expr)
#define NTM_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) {                                 \
    return tmp.status();                           \
  }                                                \
  lhs = std::move(tmp).value()

}  // namespace ntm

#endif  // NTM_SERVICES_COMMON_STATUS_H_
