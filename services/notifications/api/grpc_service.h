// The gRPC services of the notifications service (callback API): NotificationService for
// inboxes, subscriptions, urgings and deliveries, with WatchNotifications streams fed by one
// watch hub; and the internal EventIngestService for the outbox relays. Requests are parsed here
// (errors name the field); the use cases run on the bounded executor.
#ifndef NTM_SERVICES_NOTIFICATIONS_API_GRPC_SERVICE_H_
#define NTM_SERVICES_NOTIFICATIONS_API_GRPC_SERVICE_H_

#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ntm/notifications/v1/events.grpc.pb.h"
#include "ntm/notifications/v1/notification.grpc.pb.h"
#include "services/common/rpc.h"
#include "services/notifications/app/notifications_app.h"

namespace ntm::notifications::api {

namespace pb = ::ntm::notifications::v1;

// Looks for new notifications of the inboxes being watched (one query per inbox, every `poll` or
// when woken after a commit) and hands them to their watchers in order.
class WatchHub {
 public:
  // Called on the hub's thread with the new notifications of a watcher's inbox, oldest first;
  // `closing` once when the hub stops.
  using Deliver = std::function<void(const std::vector<Notification>&, bool closing)>;

  WatchHub(NotificationRepository* repo, absl::Duration poll);
  ~WatchHub();

  // `after_id` < 0: from the newest notification now on.
  int64_t Add(const std::string& inbox, int64_t after_id, Deliver deliver);
  // After Remove returns, the watcher's Deliver is not called again.
  void Remove(int64_t handle);
  void Wake();
  // Tells every watcher it is closing, then stops the thread.
  void Stop();
  int watchers() const;

 private:
  struct Watcher {
    std::string inbox;
    int64_t after_id;
    Deliver deliver;
  };
  void Loop();

  NotificationRepository* repo_;
  absl::Duration poll_;
  mutable absl::Mutex mu_;
  std::map<int64_t, Watcher> watchers_ ABSL_GUARDED_BY(mu_);
  int64_t next_ ABSL_GUARDED_BY(mu_) = 1;
  uint64_t wakes_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

class NotificationGrpcService final : public pb::NotificationService::CallbackService {
 public:
  NotificationGrpcService(NotificationsApp* app, WatchHub* hub, RpcRunner* runner)
      : app_(app), hub_(hub), runner_(runner) {}

  grpc::ServerUnaryReactor* ListNotifications(grpc::CallbackServerContext* ctx,
                                              const pb::ListNotificationsRequest* req,
                                              pb::ListNotificationsResponse* resp) override;
  grpc::ServerWriteReactor<pb::WatchNotificationsResponse>* WatchNotifications(
      grpc::CallbackServerContext* ctx, const pb::WatchNotificationsRequest* req) override;
  grpc::ServerUnaryReactor* MarkRead(grpc::CallbackServerContext* ctx,
                                     const pb::MarkReadRequest* req,
                                     pb::MarkReadResponse* resp) override;
  grpc::ServerUnaryReactor* CreateSubscription(grpc::CallbackServerContext* ctx,
                                               const pb::CreateSubscriptionRequest* req,
                                               pb::CreateSubscriptionResponse* resp) override;
  grpc::ServerUnaryReactor* ListSubscriptions(grpc::CallbackServerContext* ctx,
                                              const pb::ListSubscriptionsRequest* req,
                                              pb::ListSubscriptionsResponse* resp) override;
  grpc::ServerUnaryReactor* DeleteSubscription(grpc::CallbackServerContext* ctx,
                                               const pb::DeleteSubscriptionRequest* req,
                                               pb::DeleteSubscriptionResponse* resp) override;
  grpc::ServerUnaryReactor* SendUrge(grpc::CallbackServerContext* ctx,
                                     const pb::SendUrgeRequest* req,
                                     pb::SendUrgeResponse* resp) override;
  grpc::ServerUnaryReactor* ListDeliveries(grpc::CallbackServerContext* ctx,
                                           const pb::ListDeliveriesRequest* req,
                                           pb::ListDeliveriesResponse* resp) override;

 private:
  NotificationsApp* app_;
  WatchHub* hub_;
  RpcRunner* runner_;
};

class EventIngestGrpcService final : public pb::EventIngestService::CallbackService {
 public:
  EventIngestGrpcService(NotificationsApp* app, RpcRunner* runner) : app_(app), runner_(runner) {}
  grpc::ServerUnaryReactor* PublishEvents(grpc::CallbackServerContext* ctx,
                                          const pb::PublishEventsRequest* req,
                                          pb::PublishEventsResponse* resp) override;

 private:
  NotificationsApp* app_;
  RpcRunner* runner_;
};

}  // namespace ntm::notifications::api

#endif  // NTM_SERVICES_NOTIFICATIONS_API_GRPC_SERVICE_H_
