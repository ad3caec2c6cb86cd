// The ntm-assessment binary as an operator runs it: flags, migrations, health checking, metrics,
// and a clean drain on SIGTERM.
#include <arpa/inet.h>
#include <cppconn/statement.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ntm/assessment/v1/catalog.grpc.pb.h"
#include "services/assessment/tests/test_env.h"

namespace ntm::assessment::testing {
namespace {

// Runs the binary with `args`, standard error to `log`; returns the pid.
pid_t Spawn(const std::vector<std::string>& args, const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    std::freopen(log.c_str(), "w", stderr);
    std::freopen("/dev/null", "w", stdout);
    std::vector<char*> argv;
    for (const auto& a : args) {
      argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// Waits up to `timeout` for the process to exit; returns its exit status or -1.
int WaitExit(pid_t pid, std::chrono::seconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// GET http://127.0.0.1:port/path; the whole response, headers included.
std::string HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const std::string req = absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: x\r\n\r\n");
    (void)!write(fd, req.data(), req.size());
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
      out.append(buf, static_cast<size_t>(n));
    }
  }
  close(fd);
  return out;
}

int FreePort() {
  // Bind port 0 through a throwaway gRPC server to learn a free port.
  int port = 0;
  grpc::ServerBuilder b;
  b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  auto s = b.BuildAndStart();
  s->Shutdown();
  return port;
}

// grpc.health.v1.Health/Check with an empty request; SERVING is the bytes 08 01.
int HealthStatus(const std::shared_ptr<grpc::Channel>& channel, const std::string& service) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  std::string req;
  if (!service.empty()) {
    req = absl::StrCat(std::string(1, '\x0a'), std::string(1, static_cast<char>(service.size())),
                       service);
  }
  grpc::Slice slice(req);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  stub.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = s;
                   done = true;
                   cv.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  if (!status.ok()) {
    return -status.error_code();
  }
  std::vector<grpc::Slice> slices;
  (void)response.Dump(&slices);
  std::string bytes;
  for (const auto& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return bytes.size() == 2 && bytes[0] == 0x08 ? bytes[1] : 0;
}

TEST(ProcessTest, RejectsUnknownFlagsWithExitCodeTwo) {
  const std::string log = ::testing::TempDir() + "/unknown_flag.log";
  pid_t pid = Spawn({NTM_ASSESSMENT_BINARY, "--listne=127.0.0.1:1"}, log);
  EXPECT_EQ(WaitExit(pid, std::chrono::seconds(10)), 2);
  EXPECT_NE(ReadFile(log).find("unknown flag --listne"), std::string::npos) << ReadFile(log);
}

TEST(ProcessTest, ServesHealthAndMetricsThenDrainsOnSigterm) {
  ASSERT_NE(std::getenv("NTM_TEST_DB_PORT"), nullptr) << "run through tests/run";
  db::DbOptions db = TestDbOptions();
  const int port = FreePort();
  const int metrics_port = FreePort();
  const std::string log = ::testing::TempDir() + "/serve.log";
  const std::string data = absl::StrCat(NTM_SOURCE_DIR, "/data/units/lai-chau.json,",
                                        NTM_SOURCE_DIR, "/data/catalog/lai-chau-2022.json");
  pid_t pid = Spawn(
      {NTM_ASSESSMENT_BINARY, absl::StrCat("--listen=127.0.0.1:", port),
       absl::StrCat("--metrics_listen=127.0.0.1:", metrics_port),
       absl::StrCat("--db_host=", db.host), absl::StrCat("--db_port=", db.port),
       absl::StrCat("--db_user=", db.user), absl::StrCat("--db_password=", db.password),
       absl::StrCat("--db_name=", db.schema), absl::StrCat("--load=", data), "--drain_seconds=3"},
      log);
  auto channel =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  ASSERT_TRUE(
      channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(20)))
      << ReadFile(log);
  EXPECT_EQ(HealthStatus(channel, ""), 1);
  EXPECT_EQ(HealthStatus(channel, "ntm.assessment.v1.AssessmentService"), 1);

  auto stub = v1::CatalogService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::GetCriteriaSetRequest req;
  req.set_name("criteriaSets/lai-chau-2022");
  v1::GetCriteriaSetResponse resp;
  ASSERT_TRUE(stub->GetCriteriaSet(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.criteria_set().indicator_count(), 57);

  const std::string metrics = HttpGet(metrics_port, "/metrics");
  EXPECT_NE(metrics.find("HTTP/1.1 200"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("ntm_grpc_requests_total{service=\"assessment\",method=\"GetCriteriaSet\","
                         "code=\"OK\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("ntm_grpc_request_duration_seconds_bucket"), std::string::npos);

  kill(pid, SIGTERM);
  EXPECT_EQ(WaitExit(pid, std::chrono::seconds(15)), 0);
  const std::string text = ReadFile(log);
  EXPECT_NE(text.find("\"msg\":\"draining\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"msg\":\"stopped\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"msg\":\"applying migration\""), std::string::npos) << text;

  // The binary created its own schema; remove it.
  db.create_schema = false;
  auto pool = db::ConnectionPool::Create(db);
  ASSERT_TRUE(pool.ok()) << pool.status();
  ASSERT_TRUE((*pool)
                  ->WithConnection([&](sql::Connection& conn) -> absl::Status {
                    std::unique_ptr<sql::Statement> st(conn.createStatement());
                    st->execute(absl::StrCat("DROP DATABASE `", db.schema, "`"));
                    return absl::OkStatus();
                  })
                  .ok());
}

}  // namespace
}  // namespace ntm::assessment::testing
