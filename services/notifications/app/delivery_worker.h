// Sends the queued messages: claims due ones (SELECT … FOR UPDATE SKIP LOCKED, under a lease, so
// several workers and replicas never hold the same message), checks that a reminder still applies
// (the commune may have sent the deliverable since), sends it on its channel, and records the
// outcome: sent; pending again after a jittered exponential back-off; failed with the reason after
// the last attempt or a failure that cannot pass; cancelled when it no longer applies.
#ifndef NTM_SERVICES_NOTIFICATIONS_APP_DELIVERY_WORKER_H_
#define NTM_SERVICES_NOTIFICATIONS_APP_DELIVERY_WORKER_H_

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/notifications/app/obligations.h"
#include "services/notifications/delivery/senders.h"
#include "services/notifications/storage/notification_repository.h"

namespace ntm::notifications {

struct DeliveryOptions {
  // Names this process's claims, e.g. "ntm-notifications-7f9c/1234".
  std::string worker_id = "ntm-notifications";
  // Messages claimed at once.
  int batch = 20;
  // How long a claim holds; a sender that stops (a crash) gives its messages back after it.
  absl::Duration lease = absl::Seconds(60);
  int max_attempts = 8;
  absl::Duration retry_base = absl::Seconds(30);
  absl::Duration retry_max = absl::Hours(1);
  // How often an idle worker looks for due messages.
  absl::Duration poll = absl::Seconds(1);
};

class DeliveryWorker {
 public:
  // `senders` maps the e-mail and webhook channels to their senders; `random` returns a number
  // in [0, 1) for the back-off's jitter.
  DeliveryWorker(NotificationRepository* repo, ObligationSource* obligations, Clock* clock,
                 std::map<Channel, ChannelSender*> senders, DeliveryOptions options,
                 std::function<double()> random);
  ~DeliveryWorker();

  // Claims one batch of due messages and handles them; the number handled.
  absl::StatusOr<int> RunOnce();

  // Background threads that run batches until Stop(); an idle one waits `poll` or a Wake().
  void Start(int threads);
  void Stop();
  // Asks the threads to stop after the message each is sending (Stop() then waits for them).
  void RequestStop();
  void Wake();

  // Counters for metrics.
  uint64_t sent() const { return sent_.load(); }
  uint64_t failed() const { return failed_.load(); }
  uint64_t retried() const { return retried_.load(); }
  uint64_t cancelled() const { return cancelled_.load(); }

 private:
  bool StopRequested() const;
  void Loop(int index);

  NotificationRepository* repo_;
  ObligationSource* obligations_;
  Clock* clock_;
  std::map<Channel, ChannelSender*> senders_;
  DeliveryOptions options_;
  std::function<double()> random_;
  std::atomic<uint64_t> sent_{0}, failed_{0}, retried_{0}, cancelled_{0};

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t wakes_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::thread> threads_;
};

}  // namespace ntm::notifications

#endif  // NTM_SERVICES_NOTIFICATIONS_APP_DELIVERY_WORKER_H_
