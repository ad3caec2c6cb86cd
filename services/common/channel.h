// Channels from one NTM process to another (the gateway to the services, a service to the
// services it asks). Plaintext: inside a deployment the network policy, not TLS, confines them.
// Keepalive pings find a peer that went away without closing its connection (a host cut off, a
// node lost) so that calls fail with UNAVAILABLE instead of waiting on a dead connection; every
// NTM server accepts pings at this rate (ServiceHost sets the matching server arguments).
#ifndef NTM_SERVICES_COMMON_CHANNEL_H_
#define NTM_SERVICES_COMMON_CHANNEL_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace ntm {

// Seconds between keepalive pings on an idle or busy connection, and how long a ping may go
// unanswered before the connection is closed.
inline constexpr int kKeepaliveTimeSeconds = 20;
inline constexpr int kKeepaliveTimeoutSeconds = 10;

// A channel to `target` ("host:port", a DNS name or an address) with the keepalive settings above.
std::shared_ptr<grpc::Channel> BackendChannel(const std::string& target);

// The server-side arguments that let clients ping at kKeepaliveTimeSeconds.
void AllowKeepalivePings(grpc::ServerBuilder& builder);

}  // namespace ntm

#endif  // NTM_SERVICES_COMMON_CHANNEL_H_
