#include "services/notifications/relay/outbox_relay.h"

#include <chrono>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/caller.h"
#include "services/common/channel.h"
#include "services/common/db/sql.h"
#include "services/common/log.h"
#include "services/common/request.h"

namespace ntm::notifications {
namespace {

namespace ev = ::ntm::notifications::v1;

}  // namespace

OutboxRelay::OutboxRelay(db::ConnectionPool* pool, std::shared_ptr<grpc::ChannelInterface> channel,
                         Clock* clock, RelayOptions options)
    : pool_(pool),
      stub_(ev::EventIngestService::NewStub(channel)),
      clock_(clock),
      options_(std::move(options)) {}

OutboxRelay::~OutboxRelay() { Stop(); }

absl::StatusOr<int> OutboxRelay::RelayOnce() {
  int published = 0;
  absl::Status status = pool_->InTransaction([&](sql::Connection& conn) -> absl::Status {
    published = 0;
    auto rs = db::Query(conn,
                        "SELECT id, event_id, event_type, subject, payload, created_at FROM "
                        "outbox WHERE published_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP "
                        "LOCKED")
                  .Int(options_.batch)
                  .Rows();
    ev::PublishEventsRequest req;
    std::vector<std::string> ids;
    while (rs->next()) {
      ids.push_back(absl::StrCat(rs->getInt64(1)));
      ev::Event* e = req.add_events();
      e->set_event_id(db::GetStr(*rs, 2));
      e->set_type(db::GetStr(*rs, 3));
      e->set_subject(db::GetStr(*rs, 4));
      e->set_payload_json(db::GetStr(*rs, 5));
      ToTimestamp(db::GetTime(*rs, 6), e->mutable_create_time());
      e->set_source(options_.source);
    }
    if (ids.empty()) {
      return absl::OkStatus();
    }
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     absl::ToChronoMilliseconds(options_.rpc_timeout));
    ctx.AddMetadata(kPrincipalHeader, absl::StrCat(options_.source, "-outbox-relay"));
    ev::PublishEventsResponse resp;
    const grpc::Status s = stub_->PublishEvents(&ctx, req, &resp);
    if (!s.ok()) {
      // Rolled back: the rows stay unpublished and are sent again.
      return absl::UnavailableError(absl::StrCat("PublishEvents to ", options_.target, ": ",
                                                 s.error_code(), " ", s.error_message()));
    }
    db::Query(conn, absl::StrCat("UPDATE outbox SET published_at = ? WHERE id IN (",
                                 absl::StrJoin(ids, ","), ")"))
        .Time(clock_->Now())
        .Exec();
    published = static_cast<int>(ids.size());
    return absl::OkStatus();
  });
  if (!status.ok()) {
    ++failures_;
    return status;
  }
  published_ += published;
  return published;
}

void OutboxRelay::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void OutboxRelay::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

void OutboxRelay::Wake() {
  absl::MutexLock lock(&mu_);
  ++wakes_;
}

void OutboxRelay::Loop() {
  absl::Duration wait = options_.interval;
  bool failing = false;
  for (;;) {
    uint64_t seen;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) {
        return;
      }
      seen = wakes_;
    }
    absl::StatusOr<int> n = RelayOnce();
    if (!n.ok()) {
      if (!failing) {
        log::Warn("outbox relay cannot publish; will retry",
                  {{"source", options_.source}, {"error", n.status().ToString()}});
      }
      failing = true;
      wait = std::min(wait * 2, options_.max_backoff);
    } else {
      if (failing) {
        log::Info("outbox relay publishes again", {{"source", options_.source}});
      }
      failing = false;
      wait = options_.interval;
      if (*n > 0) {
        log::Debug("outbox events published",
                   {{"source", options_.source}, {"events", absl::StrCat(*n)}});
        if (*n == options_.batch) {
          continue;  // more may be waiting
        }
      }
    }
    absl::MutexLock lock(&mu_);
    const auto woken = [this, seen]()
                           ABSL_NO_THREAD_SAFETY_ANALYSIS { return stopping_ || wakes_ != seen; };
    mu_.AwaitWithTimeout(absl::Condition(&woken), wait);
  }
}

std::unique_ptr<OutboxRelay> StartOutboxRelay(db::ConnectionPool* pool, Clock* clock,
                                              const std::string& source, const std::string& backend,
                                              absl::Duration interval, Metrics* metrics) {
  if (backend.empty()) {
    log::Warn("no --notifications_backend: events stay in the outbox until one is set");
    return nullptr;
  }
  RelayOptions options;
  options.source = source;
  options.target = backend;
  options.interval = interval;
  auto relay = std::make_unique<OutboxRelay>(pool, ntm::BackendChannel(backend), clock, options);
  relay->Start();
  metrics->AddGauge("ntm_outbox_published_total",
                    "Outbox events handed to the notifications service.",
                    [r = relay.get()] { return static_cast<double>(r->published()); });
  metrics->AddGauge("ntm_outbox_relay_failures_total", "Relay attempts that failed (retried).",
                    [r = relay.get()] { return static_cast<double>(r->failures()); });
  log::Info("relaying the outbox", {{"source", source}, {"target", backend}});
  return relay;
}

}  // namespace ntm::notifications
