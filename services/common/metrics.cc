#include "services/common/metrics.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/log.h"
#include "services/common/status.h"

namespace ntm {

void Metrics::Record(absl::string_view method, absl::StatusCode code, absl::Duration latency) {
  const double seconds = absl::ToDoubleSeconds(latency);
  absl::MutexLock lock(&mu_);
  auto it = methods_.find(method);
  if (it == methods_.end()) {
    it = methods_.emplace(std::string(method), MethodStats{}).first;
  }
  MethodStats& m = it->second;
  ++m.by_code[code];
  ++m.count;
  m.sum_seconds += seconds;
  for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    if (seconds <= kBucketsSeconds[i]) {
      ++m.buckets[i];
    }
  }
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  absl::MutexLock lock(&mu_);
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::RenderPrometheus() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  out +=
      "# HELP ntm_grpc_requests_total Finished gRPC calls by method and status code.\n"
      "# TYPE ntm_grpc_requests_total counter\n";
  for (const auto& [method, m] : methods_) {
    for (const auto& [code, n] : m.by_code) {
      absl::StrAppendFormat(
          &out, "ntm_grpc_requests_total{service=\"%s\",method=\"%s\",code=\"%s\"} %d\n", service_,
          method, absl::StatusCodeToString(code), n);
    }
  }
  out +=
      "# HELP ntm_grpc_errors_total Finished gRPC calls with a status other than OK.\n"
      "# TYPE ntm_grpc_errors_total counter\n";
  for (const auto& [method, m] : methods_) {
    uint64_t errors = 0;
    for (const auto& [code, n] : m.by_code) {
      if (code != absl::StatusCode::kOk) {
        errors += n;
      }
    }
    absl::StrAppendFormat(&out, "ntm_grpc_errors_total{service=\"%s\",method=\"%s\"} %d\n",
                          service_, method, errors);
  }
  out +=
      "# HELP ntm_grpc_request_duration_seconds Time from receipt to response.\n"
      "# TYPE ntm_grpc_request_duration_seconds histogram\n";
  for (const auto& [method, m] : methods_) {
    for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
      absl::StrAppendFormat(
          &out,
          "ntm_grpc_request_duration_seconds_bucket{service=\"%s\",method=\"%s\",le=\"%g\"} %d\n",
          service_, method, kBucketsSeconds[i], m.buckets[i]);
    }
    absl::StrAppendFormat(
        &out,
        "ntm_grpc_request_duration_seconds_bucket{service=\"%s\",method=\"%s\",le=\"+Inf\"} %d\n",
        service_, method, m.count);
    absl::StrAppendFormat(
        &out, "ntm_grpc_request_duration_seconds_sum{service=\"%s\",method=\"%s\"} %.6f\n",
        service_, method, m.sum_seconds);
    absl::StrAppendFormat(
        &out, "ntm_grpc_request_duration_seconds_count{service=\"%s\",method=\"%s\"} %d\n",
        service_, method, m.count);
  }
  for (const auto& g : gauges_) {
    absl::StrAppendFormat(&out, "# HELP %s %s\n# TYPE %s gauge\n%s{service=\"%s\"} %g\n", g.name,
                          g.help, g.name, g.name, service_, g.read());
  }
  return out;
}

absl::StatusOr<std::pair<std::string, int>> SplitHostPort(absl::string_view field,
                                                          absl::string_view address) {
  size_t colon = address.rfind(':');
  int port = 0;
  if (colon == absl::string_view::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return InvalidField(field, absl::StrCat("'", address, "' is not host:port"));
  }
  std::string host(address.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::make_pair(host, port);
}

MetricsHttpServer::~MetricsHttpServer() { Stop(); }

absl::Status MetricsHttpServer::Start(absl::string_view address) {
  NTM_ASSIGN_OR_RETURN(auto host_port, SplitHostPort("metrics_listen", address));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(host_port.second));
  if (inet_pton(AF_INET, host_port.first.c_str(), &addr.sin_addr) != 1) {
    return InvalidField("metrics_listen",
                        absl::StrCat("'", host_port.first, "' is not an IPv4 address"));
  }
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listen_fd_, 16) != 0) {
    int err = errno;
    close(listen_fd_);
    listen_fd_ = -1;
    return absl::UnavailableError(
        absl::StrCat("metrics_listen: cannot listen on ", address, ": ", std::strerror(err)));
  }
  socklen_t len = sizeof(addr);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
  return absl::OkStatus();
}

void MetricsHttpServer::Serve() {
  while (!stopping_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) {
      continue;
    }
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      continue;
    }
    timeval tv{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char buf[2048];
    ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
    absl::string_view req(buf, n > 0 ? static_cast<size_t>(n) : 0);
    std::string status = "200 OK";
    std::string body;
    std::string type = "text/plain; version=0.0.4; charset=utf-8";
    if (req.substr(0, 13) == "GET /metrics " || req.substr(0, 13) == "GET /metrics?") {
      body = metrics_->RenderPrometheus();
    } else if (req.substr(0, 13) == "GET /healthz ") {
      body = "ok\n";
    } else {
      status = "404 Not Found";
      body = "not found: try /metrics\n";
    }
    std::string resp = absl::StrFormat(
        "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
        status, type, body.size(), body);
    size_t off = 0;
    while (off < resp.size()) {
      ssize_t w = send(fd, resp.data() + off, resp.size() - off, MSG_NOSIGNAL);
      if (w <= 0) {
        break;
      }
      off += static_cast<size_t>(w);
    }
    close(fd);
  }
}

void MetricsHttpServer::Stop() {
  if (stopping_.exchange(true)) {
    return;
  }
  if (thread_.joinable()) {
    thread_.join();
  }
  if (listen_fd_ >= 0) {
    close(listen_fd_);
    listen_fd_ = -1;
  }
}

}  // namespace ntm
