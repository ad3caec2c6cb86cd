// The rules of sending: Standard Webhooks signatures, webhook secrets, the retry back-off, and
// the idempotency keys of messages. Pure functions; the random part of the back-off is given.
#ifndef NTM_SERVICES_NOTIFICATIONS_DOMAIN_DELIVERY_RULES_H_
#define NTM_SERVICES_NOTIFICATIONS_DOMAIN_DELIVERY_RULES_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace ntm::notifications {

// A webhook secret "whsec_<base64 of 24–64 bytes>" → the key bytes. INVALID_ARGUMENT otherwise.
absl::StatusOr<std::string> WebhookKey(absl::string_view secret);
// A new secret from `random_bytes` (24–64 bytes): "whsec_" + base64.
std::string MakeWebhookSecret(absl::string_view random_bytes);
// The webhook-signature header of a message: "v1," + base64(HMAC-SHA256(key,
// "{id}.{timestamp}.{body}")).
std::string WebhookSignature(absl::string_view key, absl::string_view id, int64_t timestamp,
                             absl::string_view body);

// Retries: the delay before attempt `attempt` + 1 after `attempt` failed attempts (1, 2, …):
// base · 2^(attempt-1), at most `max`, scaled by a jitter factor in [0.5, 1.5) taken from
// `unit_random` in [0, 1).
absl::Duration RetryDelay(int attempt, absl::Duration base, absl::Duration max, double unit_random);

// Whether an HTTP status is worth retrying: 408, 425, 429 and 5xx; other 4xx are final.
bool RetryableHttpStatus(int status);

}  // namespace ntm::notifications

#endif  // NTM_SERVICES_NOTIFICATIONS_DOMAIN_DELIVERY_RULES_H_
