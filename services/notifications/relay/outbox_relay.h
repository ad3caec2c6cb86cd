// The outbox relay a service runs to hand its events to the notifications service: unpublished
// rows of the service's own `outbox` table are claimed with SELECT … FOR UPDATE SKIP LOCKED (so
// several replicas relay different rows), sent in one PublishEvents call with a deadline, and
// marked published in the same transaction once the call succeeded. A crash or a failed call
// leaves them unpublished, to be sent again: at least once, and the notifications service accepts
// each event id once.
#ifndef NTM_SERVICES_NOTIFICATIONS_RELAY_OUTBOX_RELAY_H_
#define NTM_SERVICES_NOTIFICATIONS_RELAY_OUTBOX_RELAY_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ntm/notifications/v1/events.grpc.pb.h"
#include "services/common/clock.h"
#include "services/common/db/pool.h"
#include "services/common/metrics.h"

namespace ntm::notifications {

struct RelayOptions {
  // The publishing service, e.g. "plans".
  std::string source;
  // "127.0.0.1:50064"; for messages.
  std::string target;
  int batch = 100;
  // How often an idle relay looks for new rows.
  absl::Duration interval = absl::Seconds(1);
  absl::Duration rpc_timeout = absl::Seconds(5);
  // The longest wait between attempts while the notifications service cannot be reached.
  absl::Duration max_backoff = absl::Seconds(30);
};

class OutboxRelay {
 public:
  OutboxRelay(db::ConnectionPool* pool, std::shared_ptr<grpc::ChannelInterface> channel,
              Clock* clock, RelayOptions options);
  ~OutboxRelay();

  // Publishes up to one batch; the number of events published.
  absl::StatusOr<int> RelayOnce();

  // A background thread that relays until Stop().
  void Start();
  void Stop();
  // Look for new rows now (after a commit that wrote some).
  void Wake();

  uint64_t published() const { return published_.load(); }
  uint64_t failures() const { return failures_.load(); }

 private:
  void Loop();

  db::ConnectionPool* pool_;
  std::unique_ptr<ntm::notifications::v1::EventIngestService::Stub> stub_;
  Clock* clock_;
  RelayOptions options_;
  std::atomic<uint64_t> published_{0};
  std::atomic<uint64_t> failures_{0};
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t wakes_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

// What a service's main does with its --notifications_backend: with a backend (host:port), starts
// the relay of `source`'s outbox to it, looking for new rows every `interval`, and adds its
// counters to `metrics`; without one, logs that events stay in the outbox and returns null.
std::unique_ptr<OutboxRelay> StartOutboxRelay(db::ConnectionPool* pool, Clock* clock,
                                              const std::string& source, const std::string& backend,
                                              absl::Duration interval, Metrics* metrics);

}  // namespace ntm::notifications

#endif  // NTM_SERVICES_NOTIFICATIONS_RELAY_OUTBOX_RELAY_H_
