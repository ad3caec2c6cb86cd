// A fixed pool of threads with a bounded queue, for blocking work (database calls) that must not
// run inside a gRPC reaction. When the queue is full, TrySubmit refuses instead of queueing
// without limit, so an overloaded server sheds load with UNAVAILABLE rather than growing memory.
#ifndef NTM_SERVICES_COMMON_EXECUTOR_H_
#define NTM_SERVICES_COMMON_EXECUTOR_H_

#include <cstddef>
#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace ntm {

class BoundedExecutor {
 public:
  BoundedExecutor(int threads, size_t max_queued);
  ~BoundedExecutor();
  BoundedExecutor(const BoundedExecutor&) = delete;
  BoundedExecutor& operator=(const BoundedExecutor&) = delete;

  // Queues the task; false when the queue is full or the executor is shutting down.
  bool TrySubmit(absl::AnyInvocable<void() &&> task);

  // Stops accepting tasks, runs those already queued, and joins the threads. Idempotent.
  void Shutdown();

  size_t queued() const;
  int threads() const { return static_cast<int>(threads_.size()); }

 private:
  void Loop();
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t max_queued_;
  mutable absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace ntm

#endif  // NTM_SERVICES_COMMON_EXECUTOR_H_
