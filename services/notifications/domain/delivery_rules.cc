#include "services/notifications/domain/delivery_rules.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace ntm::notifications {

namespace {
constexpr absl::string_view kSecretPrefix = "whsec_";
}  // namespace

absl::StatusOr<std::string> WebhookKey(absl::string_view secret) {
  absl::string_view rest = secret;
  std::string key;
  if (!absl::ConsumePrefix(&rest, kSecretPrefix) || !absl::Base64Unescape(rest, &key) ||
      key.size() < 24 || key.size() > 64) {
    return absl::InvalidArgumentError(
        "secret: expected \"whsec_\" followed by the base64 of 24 to 64 bytes");
  }
  return key;
}

std::string MakeWebhookSecret(absl::string_view random_bytes) {
  return absl::StrCat(kSecretPrefix, absl::Base64Escape(random_bytes));
}

std::string WebhookSignature(absl::string_view key, absl::string_view id, int64_t timestamp,
                             absl::string_view body) {
  const std::string content = absl::StrCat(id, ".", timestamp, ".", body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &length);
  return absl::StrCat(
      "v1,", absl::Base64Escape(absl::string_view(reinterpret_cast<const char*>(mac), length)));
}

absl::Duration RetryDelay(int attempt, absl::Duration base, absl::Duration max,
                          double unit_random) {
  const int exponent = std::clamp(attempt - 1, 0, 30);
  absl::Duration d = base * std::pow(2.0, exponent);
  d = std::min(d, max);
  const double jitter = 0.5 + std::clamp(unit_random, 0.0, 0.999999);
  return d * jitter;
}

bool RetryableHttpStatus(int status) {
  return status == 408 || status == 425 || status == 429 || status >= 500;
}

}  // namespace ntm::notifications
