#include "services/notifications/api/grpc_service.h"

#include <deque>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/log.h"
#include "services/common/request.h"
#include "services/common/status.h"
#include "services/notifications/api/convert.h"

namespace ntm::notifications::api {
namespace {

constexpr int kListDefault = 50;
constexpr int kListMax = 200;
constexpr int kWatchBatch = 100;

absl::StatusOr<int64_t> PageAfter(const std::string& token) {
  if (token.empty()) {
    return 0;
  }
  NTM_ASSIGN_OR_RETURN(std::string raw, DecodeToken(token));
  int64_t id = 0;
  if (!absl::SimpleAtoi(raw, &id) || id <= 0) {
    return InvalidField("page_token", "not a token this service issued");
  }
  return id;
}

std::optional<MessageState> StateFilter(pb::DeliveryState s) {
  if (s < pb::DELIVERY_STATE_PENDING || s > pb::DELIVERY_STATE_CANCELLED) {
    return std::nullopt;
  }
  return static_cast<MessageState>(static_cast<int>(s));
}

// One WatchNotifications stream: notifications from the hub are queued and written one at a
// time; the stream ends when the caller cancels it or the hub closes.
class WatchReactor final : public grpc::ServerWriteReactor<pb::WatchNotificationsResponse> {
 public:
  WatchReactor(WatchHub* hub, const std::string& inbox, int64_t after_id) : hub_(hub) {
    handle_ = hub_->Add(inbox, after_id, [this](const std::vector<Notification>& ns, bool closing) {
      Enqueue(ns, closing);
    });
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Close(grpc::Status(grpc::StatusCode::CANCELLED, "the stream was closed"));
      return;
    }
    absl::MutexLock lock(&mu_);
    writing_ = false;
    StartNextLocked();
  }

  void OnCancel() override { Close(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled")); }

  void OnDone() override {
    Detach();
    delete this;
  }

 private:
  void Enqueue(const std::vector<Notification>& ns, bool closing) {
    absl::MutexLock lock(&mu_);
    for (const Notification& n : ns) {
      pb::WatchNotificationsResponse r;
      ToProto(n, r.mutable_notification());
      queue_.push_back(std::move(r));
    }
    if (closing) {
      closing_ = true;
    }
    StartNextLocked();
  }

  void StartNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (writing_ || finished_) {
      return;
    }
    if (queue_.empty()) {
      if (closing_) {
        finished_ = true;
        Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                            "the notifications service is shutting down; watch again"));
      }
      return;
    }
    current_ = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    StartWrite(&current_);
  }

  void Close(const grpc::Status& status) {
    Detach();
    absl::MutexLock lock(&mu_);
    if (!finished_) {
      finished_ = true;
      Finish(status);
    }
  }

  void Detach() {
    int64_t handle = 0;
    {
      absl::MutexLock lock(&mu_);
      handle = handle_;
      handle_ = 0;
    }
    if (handle != 0) {
      hub_->Remove(handle);
    }
  }

  WatchHub* hub_;
  absl::Mutex mu_;
  int64_t handle_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<pb::WatchNotificationsResponse> queue_ ABSL_GUARDED_BY(mu_);
  pb::WatchNotificationsResponse current_;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

class FailedWatch final : public grpc::ServerWriteReactor<pb::WatchNotificationsResponse> {
 public:
  explicit FailedWatch(const absl::Status& s) { Finish(ToGrpcStatus(s)); }
  void OnDone() override { delete this; }
};

}  // namespace

WatchHub::WatchHub(NotificationRepository* repo, absl::Duration poll) : repo_(repo), poll_(poll) {
  thread_ = std::thread([this] { Loop(); });
}

WatchHub::~WatchHub() { Stop(); }

int64_t WatchHub::Add(const std::string& inbox, int64_t after_id, Deliver deliver) {
  absl::MutexLock lock(&mu_);
  const int64_t handle = next_++;
  watchers_[handle] = Watcher{inbox, after_id, std::move(deliver)};
  ++wakes_;
  return handle;
}

void WatchHub::Remove(int64_t handle) {
  absl::MutexLock lock(&mu_);
  watchers_.erase(handle);
}

void WatchHub::Wake() {
  absl::MutexLock lock(&mu_);
  ++wakes_;
}

int WatchHub::watchers() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(watchers_.size());
}

void WatchHub::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) {
      return;
    }
    stopping_ = true;
    for (auto& [handle, w] : watchers_) {
      w.deliver({}, true);
    }
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

void WatchHub::Loop() {
  for (;;) {
    std::map<std::string, int64_t> inboxes;  // each watched inbox and the lowest id seen
    std::set<std::string> unresolved;        // watchers that start from "now"
    uint64_t seen;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) {
        return;
      }
      seen = wakes_;
      for (const auto& [handle, w] : watchers_) {
        if (w.after_id < 0) {
          unresolved.insert(w.inbox);
          continue;
        }
        auto [it, inserted] = inboxes.emplace(w.inbox, w.after_id);
        if (!inserted) {
          it->second = std::min(it->second, w.after_id);
        }
      }
    }
    std::map<std::string, int64_t> last_ids;
    for (const std::string& inbox : unresolved) {
      absl::StatusOr<int64_t> last = repo_->LastNotificationId(inbox);
      if (last.ok()) {
        last_ids[inbox] = *last;
      }
    }
    std::map<std::string, std::vector<Notification>> fresh;
    for (const auto& [inbox, after] : inboxes) {
      absl::StatusOr<std::vector<Notification>> ns =
          repo_->NotificationsAfter(inbox, after, kWatchBatch);
      if (!ns.ok()) {
        log::Warn("watch poll failed", {{"inbox", inbox}, {"error", ns.status().ToString()}});
        continue;
      }
      fresh[inbox] = std::move(*ns);
    }
    bool more = false;
    {
      absl::MutexLock lock(&mu_);
      for (auto& [handle, w] : watchers_) {
        if (w.after_id < 0) {
          if (auto it = last_ids.find(w.inbox); it != last_ids.end()) {
            w.after_id = it->second;
          }
          continue;
        }
        const auto it = fresh.find(w.inbox);
        if (it == fresh.end()) {
          continue;
        }
        std::vector<Notification> mine;
        for (const Notification& n : it->second) {
          if (n.id > w.after_id) {
            mine.push_back(n);
          }
        }
        if (!mine.empty()) {
          w.after_id = mine.back().id;
          w.deliver(mine, false);
        }
        more = more || static_cast<int>(it->second.size()) == kWatchBatch;
      }
      if (stopping_) {
        return;
      }
      if (more || !unresolved.empty()) {
        continue;
      }
      const auto woken = [this, seen]()
                             ABSL_NO_THREAD_SAFETY_ANALYSIS { return stopping_ || wakes_ != seen; };
      mu_.AwaitWithTimeout(absl::Condition(&woken), poll_);
    }
  }
}

grpc::ServerUnaryReactor* NotificationGrpcService::ListNotifications(
    grpc::CallbackServerContext* ctx, const pb::ListNotificationsRequest* req,
    pb::ListNotificationsResponse* resp) {
  return runner_->Run(ctx, "ListNotifications", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string inbox, ParseInbox("parent", req->parent()));
    std::optional<Kind> kind;
    if (req->kind() != pb::NOTIFICATION_KIND_UNSPECIFIED) {
      kind = KindFromProto(req->kind());
      if (!kind.has_value()) {
        return InvalidField("kind", absl::StrCat(req->kind(), " is not a NotificationKind"));
      }
    }
    NTM_ASSIGN_OR_RETURN(int size, PageSize(req->page_size(), kListDefault, kListMax));
    NTM_ASSIGN_OR_RETURN(int64_t before, PageAfter(req->page_token()));
    NTM_ASSIGN_OR_RETURN(NotificationPage page,
                         app_->List(inbox, req->unread_only(), kind, before, size + 1));
    if (static_cast<int>(page.notifications.size()) > size) {
      page.notifications.resize(size);
      resp->set_next_page_token(EncodeToken(absl::StrCat(page.notifications.back().id)));
    }
    for (const Notification& n : page.notifications) {
      ToProto(n, resp->add_notifications());
    }
    resp->set_unread_count(page.unread);
    return absl::OkStatus();
  });
}

grpc::ServerWriteReactor<pb::WatchNotificationsResponse>*
NotificationGrpcService::WatchNotifications(grpc::CallbackServerContext* ctx,
                                            const pb::WatchNotificationsRequest* req) {
  absl::StatusOr<std::string> inbox = ParseInbox("parent", req->parent());
  if (!inbox.ok()) {
    return new FailedWatch(inbox.status());
  }
  int64_t after = -1;
  if (!req->after().empty()) {
    absl::StatusOr<std::pair<std::string, int64_t>> n =
        ParseInboxChild("after", req->after(), "notifications");
    if (!n.ok()) {
      return new FailedWatch(n.status());
    }
    if (n->first != *inbox) {
      return new FailedWatch(
          InvalidField("after", absl::StrCat("'", req->after(), "' is not in ", *inbox)));
    }
    after = n->second;
  }
  log::Info("watch started", {{"inbox", *inbox}, {"principal", CallerFromContext(*ctx).principal}});
  return new WatchReactor(hub_, *inbox, after);
}

grpc::ServerUnaryReactor* NotificationGrpcService::MarkRead(grpc::CallbackServerContext* ctx,
                                                            const pb::MarkReadRequest* req,
                                                            pb::MarkReadResponse* resp) {
  return runner_->Run(ctx, "MarkRead", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string inbox, ParseInbox("parent", req->parent()));
    std::vector<int64_t> ids;
    for (int i = 0; i < req->names_size(); ++i) {
      const std::string field = absl::StrCat("names[", i, "]");
      NTM_ASSIGN_OR_RETURN(auto n, ParseInboxChild(field, req->names(i), "notifications"));
      if (n.first != inbox) {
        return InvalidField(field, absl::StrCat("'", req->names(i), "' is not in ", inbox));
      }
      ids.push_back(n.second);
    }
    int64_t up_to = 0;
    if (!req->up_to().empty()) {
      NTM_ASSIGN_OR_RETURN(auto n, ParseInboxChild("up_to", req->up_to(), "notifications"));
      if (n.first != inbox) {
        return InvalidField("up_to", absl::StrCat("'", req->up_to(), "' is not in ", inbox));
      }
      up_to = n.second;
    }
    NTM_ASSIGN_OR_RETURN(auto counts, app_->MarkRead(inbox, ids, up_to));
    resp->set_marked(counts.first);
    resp->set_unread_count(counts.second);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* NotificationGrpcService::CreateSubscription(
    grpc::CallbackServerContext* ctx, const pb::CreateSubscriptionRequest* req,
    pb::CreateSubscriptionResponse* resp) {
  return runner_->Run(
      ctx, "CreateSubscription", [this, req, resp](const Caller& caller) -> absl::Status {
        NTM_ASSIGN_OR_RETURN(std::string inbox, ParseInbox("parent", req->parent()));
        const pb::Subscription& in = req->subscription();
        Subscription s;
        s.inbox = inbox;
        switch (in.channel()) {
          case pb::CHANNEL_EMAIL:
            s.channel = Channel::kEmail;
            break;
          case pb::CHANNEL_WEBHOOK:
            s.channel = Channel::kWebhook;
            break;
          default:
            return InvalidField("subscription.channel",
                                "CHANNEL_EMAIL or CHANNEL_WEBHOOK (the in-app inbox needs no "
                                "subscription)");
        }
        s.address = in.address();
        s.secret = in.secret();
        for (int i = 0; i < in.kinds_size(); ++i) {
          const std::optional<Kind> k = KindFromProto(in.kinds(i));
          if (!k.has_value()) {
            return InvalidField(absl::StrCat("subscription.kinds[", i, "]"),
                                absl::StrCat(in.kinds(i), " is not a NotificationKind"));
          }
          s.kinds.push_back(*k);
        }
        NTM_ASSIGN_OR_RETURN(Subscription stored, app_->Subscribe(caller, s));
        ToProto(stored, stored.channel == Channel::kWebhook, resp->mutable_subscription());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* NotificationGrpcService::ListSubscriptions(
    grpc::CallbackServerContext* ctx, const pb::ListSubscriptionsRequest* req,
    pb::ListSubscriptionsResponse* resp) {
  return runner_->Run(ctx, "ListSubscriptions", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string inbox, ParseInbox("parent", req->parent()));
    NTM_ASSIGN_OR_RETURN(std::vector<Subscription> subs, app_->Subscriptions(inbox));
    for (const Subscription& s : subs) {
      ToProto(s, false, resp->add_subscriptions());
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* NotificationGrpcService::DeleteSubscription(
    grpc::CallbackServerContext* ctx, const pb::DeleteSubscriptionRequest* req,
    pb::DeleteSubscriptionResponse*) {
  return runner_->Run(ctx, "DeleteSubscription", [this, req](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(auto n, ParseInboxChild("name", req->name(), "subscriptions"));
    return app_->Unsubscribe(n.first, n.second);
  });
}

grpc::ServerUnaryReactor* NotificationGrpcService::SendUrge(grpc::CallbackServerContext* ctx,
                                                            const pb::SendUrgeRequest* req,
                                                            pb::SendUrgeResponse* resp) {
  return runner_->Run(ctx, "SendUrge", [this, req, resp](const Caller& caller) -> absl::Status {
    UrgeRequest u;
    NTM_ASSIGN_OR_RETURN(u.district_code, ParseUnitName("parent", req->parent()));
    for (int i = 0; i < req->units_size(); ++i) {
      NTM_ASSIGN_OR_RETURN(std::string code,
                           ParseUnitName(absl::StrCat("units[", i, "]"), req->units(i)));
      u.unit_codes.push_back(code);
    }
    u.indicator_codes.assign(req->indicator_codes().begin(), req->indicator_codes().end());
    if (!req->directive().empty()) {
      NTM_RETURN_IF_ERROR(ParseChildName("directive", req->directive(), "directives",
                                         "units/106/directives/tam-duong-2024")
                              .status());
    }
    u.directive = req->directive();
    u.message = req->message();
    u.request_id = req->request_id();
    NTM_ASSIGN_OR_RETURN(std::vector<Notification> sent, app_->Urge(caller, u));
    for (const Notification& n : sent) {
      ToProto(n, resp->add_notifications());
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* NotificationGrpcService::ListDeliveries(
    grpc::CallbackServerContext* ctx, const pb::ListDeliveriesRequest* req,
    pb::ListDeliveriesResponse* resp) {
  return runner_->Run(ctx, "ListDeliveries", [this, req, resp](const Caller&) -> absl::Status {
    NTM_ASSIGN_OR_RETURN(std::string inbox, ParseInbox("parent", req->parent()));
    std::optional<MessageState> state;
    if (req->state() != pb::DELIVERY_STATE_UNSPECIFIED) {
      state = StateFilter(req->state());
      if (!state.has_value()) {
        return InvalidField("state", absl::StrCat(req->state(), " is not a DeliveryState"));
      }
    }
    NTM_ASSIGN_OR_RETURN(int size, PageSize(req->page_size(), kListDefault, kListMax));
    NTM_ASSIGN_OR_RETURN(int64_t before, PageAfter(req->page_token()));
    NTM_ASSIGN_OR_RETURN(std::vector<Message> ms, app_->Deliveries(inbox, state, before, size + 1));
    if (static_cast<int>(ms.size()) > size) {
      ms.resize(size);
      resp->set_next_page_token(EncodeToken(absl::StrCat(ms.back().id)));
    }
    for (const Message& m : ms) {
      ToProto(m, resp->add_deliveries());
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* EventIngestGrpcService::PublishEvents(grpc::CallbackServerContext* ctx,
                                                                const pb::PublishEventsRequest* req,
                                                                pb::PublishEventsResponse* resp) {
  return runner_->Run(ctx, "PublishEvents", [this, req, resp](const Caller&) -> absl::Status {
    std::vector<IncomingEvent> events;
    events.reserve(req->events_size());
    for (const pb::Event& e : req->events()) {
      IncomingEvent in;
      in.event_id = e.event_id();
      in.type = e.type();
      in.subject = e.subject();
      in.source = e.source();
      in.payload_json = e.payload_json();
      in.created_at = absl::FromUnixSeconds(e.create_time().seconds()) +
                      absl::Nanoseconds(e.create_time().nanos());
      events.push_back(std::move(in));
    }
    NTM_ASSIGN_OR_RETURN(IngestResult r, app_->Ingest(events));
    resp->set_accepted(r.accepted);
    resp->set_duplicates(r.duplicates);
    return absl::OkStatus();
  });
}

}  // namespace ntm::notifications::api
