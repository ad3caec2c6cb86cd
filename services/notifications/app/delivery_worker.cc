#include "services/notifications/app/delivery_worker.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/log.h"
#include "services/notifications/domain/delivery_rules.h"

namespace ntm::notifications {
namespace {

bool IsReminder(const Notification& n) {
  return n.kind == Kind::kReminder || n.kind == Kind::kOverdue;
}

}  // namespace

DeliveryWorker::DeliveryWorker(NotificationRepository* repo, ObligationSource* obligations,
                               Clock* clock, std::map<Channel, ChannelSender*> senders,
                               DeliveryOptions options, std::function<double()> random)
    : repo_(repo),
      obligations_(obligations),
      clock_(clock),
      senders_(std::move(senders)),
      options_(std::move(options)),
      random_(std::move(random)) {}

DeliveryWorker::~DeliveryWorker() { Stop(); }

absl::StatusOr<int> DeliveryWorker::RunOnce() {
  const absl::Time now = clock_->Now();
  absl::StatusOr<std::vector<ClaimedMessage>> claimed = repo_->ClaimDue(
      options_.worker_id, now, options_.lease, options_.batch, options_.max_attempts);
  if (!claimed.ok()) {
    return claimed.status();
  }
  // Who still owes what, asked once per directive and deliverable in this batch.
  std::map<std::pair<std::string, std::string>, absl::StatusOr<std::vector<UnitStanding>>> standing;
  for (const ClaimedMessage& c : *claimed) {
    // Shutting down: what is not attempted yet stays claimed until its lease runs out, then
    // another replica takes it; nothing is sent twice and the process exits within its grace.
    if (StopRequested()) {
      break;
    }
    const Message& m = c.message;
    const Notification& n = c.notification;
    const auto record = [&](absl::StatusOr<bool> changed, const char* what) {
      if (!changed.ok()) {
        log::Warn("delivery outcome not recorded", {{"key", m.idempotency_key},
                                                    {"outcome", what},
                                                    {"error", changed.status().ToString()}});
      } else if (!*changed) {
        log::Warn("delivery outcome refused: the claim had run out and another worker took it",
                  {{"key", m.idempotency_key}, {"outcome", what}});
      }
    };
    if (IsReminder(n) && !n.directive.empty() && !n.deliverable.empty() && !n.unit.empty()) {
      const auto key = std::make_pair(n.directive, n.deliverable);
      auto it = standing.find(key);
      if (it == standing.end()) {
        DirectiveInfo d;
        d.name = n.directive;
        it = standing.emplace(key, obligations_->Standing(d, n.deliverable)).first;
      }
      if (!it->second.ok()) {
        const std::string why = absl::StrCat("could not check that the reminder still applies: ",
                                             it->second.status().message());
        ++retried_;
        record(repo_->MarkRetry(
                   m.id, options_.worker_id,
                   now + RetryDelay(m.attempts, options_.retry_base, options_.retry_max, random_()),
                   why),
               "retry");
        continue;
      }
      const std::string code(absl::StripPrefix(n.unit, "units/"));
      bool owes = false;
      for (const UnitStanding& u : *it->second) {
        if (u.unit_code == code) {
          owes = u.owes;
        }
      }
      if (!owes) {
        ++cancelled_;
        log::Info("reminder cancelled", {{"key", m.idempotency_key}, {"unit", n.unit}});
        record(repo_->MarkCancelled(m.id, options_.worker_id,
                                    absl::StrCat(n.unit, " has sent its ", n.deliverable,
                                                 " since; the reminder no longer applies")),
               "cancelled");
        continue;
      }
    }
    const auto sender = senders_.find(m.channel);
    SendOutcome outcome;
    if (sender == senders_.end() || sender->second == nullptr) {
      outcome = {false, false, absl::StrCat("no sender for channel ", ChannelName(m.channel))};
    } else {
      outcome = sender->second->Send(m, n, now);
    }
    if (outcome.ok) {
      ++sent_;
      log::Info("delivered", {{"key", m.idempotency_key},
                              {"channel", ChannelName(m.channel)},
                              {"attempt", absl::StrCat(m.attempts)}});
      record(repo_->MarkSent(m.id, options_.worker_id, clock_->Now()), "sent");
    } else if (outcome.retryable && m.attempts < options_.max_attempts) {
      ++retried_;
      const absl::Duration delay =
          RetryDelay(m.attempts, options_.retry_base, options_.retry_max, random_());
      log::Warn("delivery failed; will retry",
                {{"key", m.idempotency_key},
                 {"attempt", absl::StrCat(m.attempts, "/", options_.max_attempts)},
                 {"retry_in", absl::FormatDuration(delay)},
                 {"error", outcome.error}});
      record(repo_->MarkRetry(m.id, options_.worker_id, now + delay, outcome.error), "retry");
    } else {
      ++failed_;
      log::Error("delivery failed for good",
                 {{"key", m.idempotency_key},
                  {"attempt", absl::StrCat(m.attempts, "/", options_.max_attempts)},
                  {"error", outcome.error}});
      record(repo_->MarkFailed(m.id, options_.worker_id,
                               outcome.retryable ? absl::StrCat(outcome.error, " (after ",
                                                                m.attempts, " attempts)")
                                                 : outcome.error),
             "failed");
    }
  }
  return static_cast<int>(claimed->size());
}

void DeliveryWorker::Start(int threads) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this, i] { Loop(i); });
  }
}

void DeliveryWorker::RequestStop() {
  absl::MutexLock lock(&mu_);
  stopping_ = true;
}

bool DeliveryWorker::StopRequested() const {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

void DeliveryWorker::Stop() {
  RequestStop();
  for (std::thread& t : threads_) {
    t.join();
  }
  threads_.clear();
}

void DeliveryWorker::Wake() {
  absl::MutexLock lock(&mu_);
  ++wakes_;
}

void DeliveryWorker::Loop(int index) {
  absl::Duration backoff = options_.poll;
  for (;;) {
    uint64_t seen;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) {
        return;
      }
      seen = wakes_;
    }
    absl::StatusOr<int> handled = RunOnce();
    if (!handled.ok()) {
      log::Warn("delivery batch failed",
                {{"worker", absl::StrCat(index)}, {"error", handled.status().ToString()}});
      backoff = std::min(backoff * 2, absl::Seconds(30));
    } else {
      backoff = options_.poll;
      if (*handled > 0) {
        continue;  // there may be more due
      }
    }
    absl::MutexLock lock(&mu_);
    const auto woken = [this, seen]()
                           ABSL_NO_THREAD_SAFETY_ANALYSIS { return stopping_ || wakes_ != seen; };
    mu_.AwaitWithTimeout(absl::Condition(&woken), backoff);
  }
}

}  // namespace ntm::notifications
