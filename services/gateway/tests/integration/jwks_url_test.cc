// The issuer's keys fetched from a JWKS URL over real HTTP (a loopback server started here), and
// a key rotation picked up by a refresh without restarting.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "services/gateway/auth/jwks_source.h"
#include "services/gateway/tests/unit/test_keys.h"

namespace ntm::gateway {
namespace {

using ntm::gateway::testing::kNow;
using ntm::gateway::testing::TestKey;
using ::testing::HasSubstr;

// Serves one document at any path; the test changes it.
class JwksServer {
 public:
  JwksServer() {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = 0;
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    daemon_ = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, nullptr, nullptr, &Answer, this,
                               MHD_OPTION_SOCK_ADDR, &address, MHD_OPTION_END);
    port_ = daemon_ == nullptr ? 0 : MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT)->port;
  }
  ~JwksServer() {
    if (daemon_ != nullptr) {
      MHD_stop_daemon(daemon_);
    }
  }
  void Set(int status, const std::string& body) {
    absl::MutexLock lock(&mu_);
    status_ = status;
    body_ = body;
  }
  std::string url() const { return absl::StrCat("http://127.0.0.1:", port_, "/jwks.json"); }

 private:
  static MHD_Result Answer(void* cls, MHD_Connection* connection, const char*, const char*,
                           const char*, const char*, size_t*, void**) {
    auto* self = static_cast<JwksServer*>(cls);
    absl::MutexLock lock(&self->mu_);
    MHD_Response* r = MHD_create_response_from_buffer(self->body_.size(), self->body_.data(),
                                                      MHD_RESPMEM_MUST_COPY);
    MHD_Result result = MHD_queue_response(connection, self->status_, r);
    MHD_destroy_response(r);
    return result;
  }
  MHD_Daemon* daemon_ = nullptr;
  int port_ = 0;
  absl::Mutex mu_;
  int status_ = 200;
  std::string body_;
};

std::string Claims() {
  return absl::StrFormat(
      R"({"iss":"https://id.laichau.gov.vn","aud":"ntm-gateway","sub":"can-bo-ban-bo","exp":%d})",
      absl::ToUnixSeconds(kNow + absl::Hours(1)));
}

TEST(JwksUrlTest, KeysComeFromTheUrlAndARotationArrivesWithTheNextRefresh) {
  JwksServer server;
  const TestKey first = TestKey::Ec("2024-01");
  const TestKey second = TestKey::Rsa("2024-02");
  server.Set(200, absl::StrCat(R"({"keys": [)", first.Jwk(), "]}"));

  auto keys = FetchJwks(server.url(), absl::Seconds(5));
  ASSERT_TRUE(keys.ok()) << keys.status();
  JwtVerifier verifier(*keys, JwtPolicy{"https://id.laichau.gov.vn", "ntm-gateway"});
  EXPECT_TRUE(verifier.Verify(first.Token(Claims()), kNow).ok());
  EXPECT_FALSE(verifier.Verify(second.Token(Claims()), kNow).ok());

  // The issuer rotates: after a refresh the new key is accepted and the old one is not.
  server.Set(200, absl::StrCat(R"({"keys": [)", second.Jwk(), "]}"));
  JwksRefresher refresher(server.url(), &verifier);
  ASSERT_TRUE(refresher.RefreshNow().ok());
  EXPECT_TRUE(verifier.Verify(second.Token(Claims()), kNow).ok());
  EXPECT_FALSE(verifier.Verify(first.Token(Claims()), kNow).ok());

  // The issuer fails: the refresh says why and the keys stay as they were.
  server.Set(503, "down");
  absl::Status s = refresher.RefreshNow();
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("503"));
  server.Set(200, "not json");
  EXPECT_TRUE(absl::IsInvalidArgument(refresher.RefreshNow()));
  EXPECT_TRUE(verifier.Verify(second.Token(Claims()), kNow).ok());
}

TEST(JwksUrlTest, OnlyHttpsOrLoopback) {
  auto keys = FetchJwks("http://id.laichau.gov.vn/jwks.json", absl::Seconds(1));
  EXPECT_TRUE(absl::IsInvalidArgument(keys.status())) << keys.status();
  EXPECT_THAT(std::string(keys.status().message()), HasSubstr("https://"));
  // Nothing listens there: UNAVAILABLE, quickly.
  keys = FetchJwks("http://127.0.0.1:1/jwks.json", absl::Seconds(2));
  EXPECT_TRUE(absl::IsUnavailable(keys.status())) << keys.status();
}

}  // namespace
}  // namespace ntm::gateway
