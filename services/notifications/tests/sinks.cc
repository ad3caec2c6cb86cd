#include "services/notifications/tests/sinks.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace ntm::notifications::testing {

struct WebhookSink::Upload {
  ReceivedHook hook;
};

namespace {

MHD_Result CollectHeader(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(cls);
  (*headers)[absl::AsciiStrToLower(key)] = value == nullptr ? "" : value;
  return MHD_YES;
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  const int port = ntohs(a.sin_port);
  close(fd);
  return port;
}

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  close(fd);
  return ok;
}

}  // namespace

int ClosedPort() { return FreePort(); }

WebhookSink::WebhookSink() {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  daemon_ =
      MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, nullptr,
                       nullptr, reinterpret_cast<MHD_AccessHandlerCallback>(&WebhookSink::Answer),
                       this, MHD_OPTION_SOCK_ADDR, &address, MHD_OPTION_END);
  port_ = daemon_ == nullptr ? 0 : MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT)->port;
}

WebhookSink::~WebhookSink() {
  if (daemon_ != nullptr) {
    MHD_stop_daemon(daemon_);
  }
}

std::string WebhookSink::Url(const std::string& path) const {
  return absl::StrCat("http://127.0.0.1:", port_, path);
}

void WebhookSink::AnswerWith(std::deque<int> statuses) {
  absl::MutexLock lock(&mu_);
  statuses_ = std::move(statuses);
}

void WebhookSink::SetDelay(absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  delay_ = delay;
}

std::vector<ReceivedHook> WebhookSink::received() const {
  absl::MutexLock lock(&mu_);
  return received_;
}

int WebhookSink::Answer(void* cls, void* conn, const char* url, const char*, const char*,
                        const char* upload_data, size_t* upload_data_size, void** con_cls) {
  auto* self = static_cast<WebhookSink*>(cls);
  auto* connection = static_cast<MHD_Connection*>(conn);
  if (*con_cls == nullptr) {
    auto* up = new Upload();
    up->hook.path = url;
    MHD_get_connection_values(connection, MHD_HEADER_KIND, &CollectHeader, &up->hook.headers);
    *con_cls = up;
    return MHD_YES;
  }
  auto* up = static_cast<Upload*>(*con_cls);
  if (*upload_data_size > 0) {
    up->hook.body.append(upload_data, *upload_data_size);
    *upload_data_size = 0;
    return MHD_YES;
  }
  absl::Duration delay;
  {
    absl::MutexLock lock(&self->mu_);
    delay = self->delay_;
  }
  absl::SleepFor(delay);
  int status = 200;
  {
    absl::MutexLock lock(&self->mu_);
    if (!self->statuses_.empty()) {
      status = self->statuses_.front();
      self->statuses_.pop_front();
    }
    up->hook.answered = status;
    self->received_.push_back(up->hook);
  }
  delete up;
  *con_cls = nullptr;
  static const char kBody[] = "ok";
  MHD_Response* r =
      MHD_create_response_from_buffer(2, const_cast<char*>(kBody), MHD_RESPMEM_PERSISTENT);
  const MHD_Result result = MHD_queue_response(connection, status, r);
  MHD_destroy_response(r);
  return result;
}

SmtpSink::SmtpSink(const std::string& dir) : maildir_(dir + "/maildir") {
  std::filesystem::remove_all(maildir_);
  std::filesystem::create_directories(maildir_);
  for (const char* sub : {"cur", "new", "tmp"}) {
    std::filesystem::create_directories(maildir_ + "/" + sub);
  }
  port_ = FreePort();
  const std::string listen = absl::StrCat("127.0.0.1:", port_);
  const std::string log = dir + "/aiosmtpd.log";
  pid_ = fork();
  if (pid_ == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    // The Debian package installs the module for the system interpreter.
    execl("/usr/bin/python3", "python3", "-m", "aiosmtpd", "-n", "-l", listen.c_str(), "-c",
          "aiosmtpd.handlers.Mailbox", maildir_.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 200; ++i) {
    if (Accepts(port_)) {
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Stop();
}

SmtpSink::~SmtpSink() { Stop(); }

void SmtpSink::Stop() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
}

std::string SmtpSink::url() const { return absl::StrCat("smtp://127.0.0.1:", port_); }

std::vector<ReceivedMail> SmtpSink::received() const {
  std::vector<ReceivedMail> out;
  for (const char* sub : {"new", "cur"}) {
    for (const auto& entry : std::filesystem::directory_iterator(maildir_ + "/" + sub)) {
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      ReceivedMail m;
      m.raw = text.str();
      for (absl::string_view line : absl::StrSplit(m.raw, '\n')) {
        line = absl::StripSuffix(line, "\r");
        if (line.empty()) {
          break;
        }
        const size_t colon = line.find(':');
        if (colon != absl::string_view::npos && line[0] != ' ' && line[0] != '\t') {
          m.headers[absl::AsciiStrToLower(line.substr(0, colon))] =
              std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
        }
      }
      out.push_back(std::move(m));
    }
  }
  return out;
}

}  // namespace ntm::notifications::testing
