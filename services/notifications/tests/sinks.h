// Real receivers for delivery tests: an HTTP server that records the webhooks it is sent (and can
// answer with chosen statuses), and a real SMTP server (aiosmtpd, a Debian package) that stores
// each e-mail in a maildir.
#ifndef NTM_SERVICES_NOTIFICATIONS_TESTS_SINKS_H_
#define NTM_SERVICES_NOTIFICATIONS_TESTS_SINKS_H_

#include <sys/types.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

struct MHD_Daemon;

namespace ntm::notifications::testing {

struct ReceivedHook {
  std::string path;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  int answered = 0;
};

class WebhookSink {
 public:
  WebhookSink();
  ~WebhookSink();
  int port() const { return port_; }
  std::string Url(const std::string& path) const;
  // The statuses to answer with, in order; 200 once they are used up.
  void AnswerWith(std::deque<int> statuses);
  // Every answer waits this long first (a slow receiver).
  void SetDelay(absl::Duration delay);
  std::vector<ReceivedHook> received() const;

  struct Upload;

 private:
  static int Answer(void* cls, void* connection, const char* url, const char* method,
                    const char* version, const char* upload_data, size_t* upload_data_size,
                    void** con_cls);
  MHD_Daemon* daemon_ = nullptr;
  int port_ = 0;
  mutable absl::Mutex mu_;
  std::deque<int> statuses_ ABSL_GUARDED_BY(mu_);
  absl::Duration delay_ ABSL_GUARDED_BY(mu_);
  std::vector<ReceivedHook> received_ ABSL_GUARDED_BY(mu_);
};

struct ReceivedMail {
  std::map<std::string, std::string> headers;  // lower-case names, as sent
  std::string raw;
};

class SmtpSink {
 public:
  // Starts `python3 -m aiosmtpd` on a free loopback port with a maildir under `dir`; ok() is
  // false when it could not start.
  explicit SmtpSink(const std::string& dir);
  ~SmtpSink();
  bool ok() const { return pid_ > 0; }
  std::string url() const;
  // Every e-mail stored so far.
  std::vector<ReceivedMail> received() const;
  void Stop();

 private:
  std::string maildir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A port nothing listens on (bound, then closed).
int ClosedPort();

}  // namespace ntm::notifications::testing

#endif  // NTM_SERVICES_NOTIFICATIONS_TESTS_SINKS_H_
