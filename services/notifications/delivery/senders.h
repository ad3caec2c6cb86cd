// Sending one message on its channel: e-mail over SMTP and webhooks over HTTP(S), both with
// libcurl and a timeout. A sender says whether it worked and, when not, whether trying again may
// help; it never retries by itself (the delivery worker does, with back-off).
#ifndef NTM_SERVICES_NOTIFICATIONS_DELIVERY_SENDERS_H_
#define NTM_SERVICES_NOTIFICATIONS_DELIVERY_SENDERS_H_

#include <string>

#include "absl/time/time.h"
#include "services/notifications/domain/model.h"

namespace ntm::notifications {

struct SendOutcome {
  bool ok = false;
  // When not ok: may a later attempt succeed (a refused connection, a timeout, SMTP 4xx,
  // HTTP 408/425/429/5xx)?
  bool retryable = false;
  // What went wrong, e.g. "HTTP 503 from http://…", "SMTP: Couldn't connect to server".
  std::string error;
};

class ChannelSender {
 public:
  virtual ~ChannelSender() = default;
  virtual SendOutcome Send(const Message& message, const Notification& notification,
                           absl::Time now) = 0;
};

struct EmailOptions {
  // "smtp://127.0.0.1:25" or "smtps://mail.example.vn:465".
  std::string smtp_url;
  // The sender address, e.g. "ntm@tamduong.laichau.gov.vn".
  std::string from;
  absl::Duration timeout = absl::Seconds(20);
};

// Plain-text UTF-8 e-mail: the notification's title as the subject, its body, and the message's
// idempotency key in Message-ID and X-NTM-Idempotency-Key.
class EmailSender final : public ChannelSender {
 public:
  explicit EmailSender(EmailOptions options) : options_(std::move(options)) {}
  SendOutcome Send(const Message& message, const Notification& notification,
                   absl::Time now) override;

 private:
  EmailOptions options_;
};

// The whole e-mail (headers and body) as sent; exposed for tests.
std::string ComposeEmail(const std::string& from, const Message& message,
                         const Notification& notification, absl::Time now);

// POSTs the notification as JSON with the Standard Webhooks headers.
class WebhookSender final : public ChannelSender {
 public:
  explicit WebhookSender(absl::Duration timeout) : timeout_(timeout) {}
  SendOutcome Send(const Message& message, const Notification& notification,
                   absl::Time now) override;

 private:
  absl::Duration timeout_;
};

}  // namespace ntm::notifications

#endif  // NTM_SERVICES_NOTIFICATIONS_DELIVERY_SENDERS_H_
