// Request metrics per method in Prometheus' text exposition format, served over plain HTTP on a
// separate port (GET /metrics).
#ifndef NTM_SERVICES_COMMON_METRICS_H_
#define NTM_SERVICES_COMMON_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ntm {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBucketsSeconds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};

  explicit Metrics(std::string service) : service_(std::move(service)) {}

  // Records one finished call.
  void Record(absl::string_view method, absl::StatusCode code, absl::Duration latency);

  // A gauge read at scrape time, e.g. the executor's queue depth.
  void AddGauge(std::string name, std::string help, std::function<double()> read);

  std::string RenderPrometheus() const;

 private:
  struct MethodStats {
    std::map<absl::StatusCode, uint64_t> by_code;
    std::array<uint64_t, kBucketsSeconds.size()> buckets{};
    uint64_t count = 0;
    double sum_seconds = 0;
  };
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> read;
  };

  const std::string service_;
  mutable absl::Mutex mu_;
  std::map<std::string, MethodStats, std::less<>> methods_ ABSL_GUARDED_BY(mu_);
  std::vector<Gauge> gauges_ ABSL_GUARDED_BY(mu_);
};

// A minimal HTTP/1.1 server for /metrics and /healthz on one address. Not for public traffic.
class MetricsHttpServer {
 public:
  explicit MetricsHttpServer(const Metrics* metrics) : metrics_(metrics) {}
  ~MetricsHttpServer();

  // Binds "host:port" (port 0 picks a free one) and starts serving in a background thread.
  absl::Status Start(absl::string_view address);
  int port() const { return port_; }
  void Stop();

 private:
  void Serve();

  const Metrics* metrics_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// Splits "host:port"; INVALID_ARGUMENT naming `field` when malformed.
absl::StatusOr<std::pair<std::string, int>> SplitHostPort(absl::string_view field,
                                                          absl::string_view address);

}  // namespace ntm

#endif  // NTM_SERVICES_COMMON_METRICS_H_
