#include "services/notifications/delivery/senders.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "services/notifications/api/convert.h"
#include "services/notifications/domain/delivery_rules.h"

namespace ntm::notifications {
namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, up->data->size() - up->offset);
  std::memcpy(buffer, up->data->data() + up->offset, n);
  up->offset += n;
  return n;
}

size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

// A header value in UTF-8 as an RFC 2047 encoded word.
std::string EncodedWord(const std::string& text) {
  return absl::StrCat("=?UTF-8?B?", absl::Base64Escape(text), "?=");
}

// Base64 in lines of 76 characters, each ending in CRLF.
std::string Base64Lines(const std::string& text) {
  const std::string b64 = absl::Base64Escape(text);
  std::string out;
  for (size_t i = 0; i < b64.size(); i += 76) {
    absl::StrAppend(&out, b64.substr(i, 76), "\r\n");
  }
  return out;
}

std::string Trimmed(const char* error_buffer, CURLcode code) {
  return error_buffer[0] != '\0' ? std::string(error_buffer) : curl_easy_strerror(code);
}

long Millis(absl::Duration d) { return static_cast<long>(absl::ToInt64Milliseconds(d)); }

bool RetryableCurl(CURLcode code) {
  switch (code) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_LOGIN_DENIED:
    case CURLE_REMOTE_ACCESS_DENIED:
      return false;
    default:
      return true;
  }
}

}  // namespace

std::string ComposeEmail(const std::string& from, const Message& message,
                         const Notification& notification, absl::Time now) {
  std::string out;
  absl::StrAppend(
      &out, "Date: ", absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", now, absl::UTCTimeZone()),
      "\r\n");
  absl::StrAppend(&out, "From: ", from, "\r\n");
  absl::StrAppend(&out, "To: ", message.address, "\r\n");
  absl::StrAppend(&out, "Message-ID: <", message.idempotency_key, "@ntm-notifications>\r\n");
  absl::StrAppend(&out, "X-NTM-Idempotency-Key: ", message.idempotency_key, "\r\n");
  absl::StrAppend(&out, "Subject: ", EncodedWord(notification.title), "\r\n");
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  std::string body = notification.body;
  if (!notification.directive.empty()) {
    absl::StrAppend(&body, "\n\nVăn bản chỉ đạo: ", notification.directive);
  }
  absl::StrAppend(&body, "\n\n-- \nHệ thống nông thôn mới (", notification.inbox, ")\n");
  out += Base64Lines(absl::StrReplaceAll(body, {{"\n", "\r\n"}}));
  return out;
}

SendOutcome EmailSender::Send(const Message& message, const Notification& notification,
                              absl::Time now) {
  if (options_.smtp_url.empty()) {
    return {false, false, "e-mail is not configured (--smtp_url is empty)"};
  }
  const std::string payload = ComposeEmail(options_.from, message, notification, now);
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    return {false, true, "SMTP: curl_easy_init failed"};
  }
  char error[CURL_ERROR_SIZE] = {0};
  Upload upload{&payload};
  const std::string from = absl::StrCat("<", options_.from, ">");
  std::unique_ptr<curl_slist, ListDeleter> rcpt(
      curl_slist_append(nullptr, absl::StrCat("<", message.address, ">").c_str()));
  curl_easy_setopt(curl.get(), CURLOPT_URL, options_.smtp_url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, &ReadUpload);
  curl_easy_setopt(curl.get(), CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, Millis(options_.timeout));
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, Millis(options_.timeout));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  const CURLcode code = curl_easy_perform(curl.get());
  if (code == CURLE_OK) {
    return {true, false, ""};
  }
  long reply = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply);
  // A 5xx reply is the server's final word (a rejected address); 4xx and no reply may pass.
  const bool permanent = reply >= 500 || !RetryableCurl(code);
  return {false, !permanent,
          absl::StrCat("SMTP", reply > 0 ? absl::StrCat(" ", reply) : "", " via ",
                       options_.smtp_url, ": ", Trimmed(error, code))};
}

SendOutcome WebhookSender::Send(const Message& message, const Notification& notification,
                                absl::Time now) {
  absl::StatusOr<std::string> key = WebhookKey(message.secret);
  if (!key.ok()) {
    return {false, false, absl::StrCat("webhook secret unusable: ", key.status().message())};
  }
  const std::string body = api::NotificationJson(notification);
  const int64_t timestamp = absl::ToUnixSeconds(now);
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    return {false, true, "HTTP: curl_easy_init failed"};
  }
  curl_slist* raw = nullptr;
  raw = curl_slist_append(raw, "Content-Type: application/json");
  raw = curl_slist_append(raw, absl::StrCat("webhook-id: ", message.idempotency_key).c_str());
  raw = curl_slist_append(raw, absl::StrCat("webhook-timestamp: ", timestamp).c_str());
  raw = curl_slist_append(
      raw, absl::StrCat("webhook-signature: ",
                        WebhookSignature(*key, message.idempotency_key, timestamp, body))
               .c_str());
  raw = curl_slist_append(raw, "User-Agent: ntm-notifications");
  raw = curl_slist_append(raw, "Expect:");
  std::unique_ptr<curl_slist, ListDeleter> headers(raw);
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl.get(), CURLOPT_URL, message.address.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &Discard);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, Millis(timeout_));
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, Millis(timeout_));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  const CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) {
    return {false, RetryableCurl(code),
            absl::StrCat("HTTP to ", message.address, ": ", Trimmed(error, code))};
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) {
    return {true, false, ""};
  }
  return {false, RetryableHttpStatus(static_cast<int>(status)),
          absl::StrCat("HTTP ", status, " from ", message.address)};
}

}  // namespace ntm::notifications
