#include "services/gateway/auth/jwks_source.h"

#include <curl/curl.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/common/status.h"

namespace ntm::gateway {
namespace {

constexpr size_t kMaxBody = 1 << 20;

size_t Append(char* data, size_t size, size_t n, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() + size * n > kMaxBody) {
    return 0;  // too large: curl stops with a write error
  }
  body->append(data, size * n);
  return size * n;
}

bool AllowedUrl(absl::string_view url) {
  return absl::StartsWith(url, "https://") || absl::StartsWith(url, "http://127.0.0.1:") ||
         absl::StartsWith(url, "http://127.0.0.1/") || absl::StartsWith(url, "http://localhost:") ||
         absl::StartsWith(url, "http://localhost/");
}

}  // namespace

absl::StatusOr<std::vector<Jwk>> FetchJwks(const std::string& url, absl::Duration timeout) {
  if (!AllowedUrl(url)) {
    return absl::InvalidArgumentError(
        absl::StrCat("jwks_url: '", url, "' must be https:// (plain http only on loopback)"));
  }
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    return absl::InternalError("jwks_url: libcurl could not start");
  }
  std::string body;
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat("jwks_url: ", url, ": ", error[0] != 0 ? error : curl_easy_strerror(rc)));
  }
  if (status != 200) {
    return absl::UnavailableError(absl::StrCat("jwks_url: ", url, " answered HTTP ", status));
  }
  auto keys = ParseJwks(body);
  if (!keys.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("jwks_url: ", url, ": ", keys.status().message()));
  }
  return keys;
}

JwksRefresher::~JwksRefresher() {
  stop_.Notify();
  if (thread_.joinable()) {
    thread_.join();
  }
}

absl::Status JwksRefresher::RefreshNow() {
  NTM_ASSIGN_OR_RETURN(std::vector<Jwk> keys, FetchJwks(url_, absl::Seconds(10)));
  const size_t n = keys.size();
  verifier_->SetKeys(std::move(keys));
  log::Info("issuer keys loaded", {{"url", url_}, {"keys", absl::StrCat(n)}});
  return absl::OkStatus();
}

void JwksRefresher::Start(absl::Duration interval) {
  thread_ = std::thread([this, interval] {
    while (!stop_.WaitForNotificationWithTimeout(interval)) {
      if (absl::Status s = RefreshNow(); !s.ok()) {
        log::Warn("issuer keys not refreshed; keeping the last ones", {{"error", s.ToString()}});
      }
    }
  });
}

}  // namespace ntm::gateway
