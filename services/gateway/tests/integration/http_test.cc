// The gateway's JSON face over real HTTP (libcurl as the client): the same authentication and
// authorization as gRPC, errors as JSON with the matching HTTP status, Vietnamese text intact.
#include <curl/curl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/gateway/tests/gateway_env.h"

namespace ntm::gateway {
namespace {

using ntm::gateway::testing::GatewayEnv;
using ntm::gateway::testing::GatewayEnvOptions;
using ::testing::HasSubstr;

struct HttpAnswer {
  long status = 0;
  std::string body;
  std::string headers;
};

size_t Append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// One request to the gateway's HTTP listener; `token` empty sends no Authorization header.
HttpAnswer Call(int port, const std::string& method, const std::string& path,
                const std::string& token, const std::string& body) {
  HttpAnswer answer;
  CURL* curl = curl_easy_init();
  const std::string url = absl::StrCat("http://127.0.0.1:", port, path);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  const std::string auth = absl::StrCat("Authorization: Bearer ", token);
  if (!token.empty()) {
    headers = curl_slist_append(headers, auth.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &Append);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &answer.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  const CURLcode rc = curl_easy_perform(curl);
  EXPECT_EQ(rc, CURLE_OK) << curl_easy_strerror(rc);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return answer;
}

constexpr char kGetCriteriaSet[] = "/ntm.assessment.v1.CatalogService/GetCriteriaSet";
constexpr char kCreateAssessment[] = "/ntm.assessment.v1.AssessmentService/CreateAssessment";

TEST(GatewayHttpTest, AnonymousIs401AndADemoTokenReadsTheCatalogInVietnamese) {
  auto env = GatewayEnv::Start();
  ASSERT_NE(env, nullptr);
  const int port = env->http_port();
  const std::string body = R"({"name": "criteriaSets/lai-chau-2022"})";

  HttpAnswer a = Call(port, "POST", kGetCriteriaSet, "", body);
  EXPECT_EQ(a.status, 401);
  EXPECT_THAT(a.body, HasSubstr(R"("status": "UNAUTHENTICATED")"));
  EXPECT_THAT(a.headers, HasSubstr("application/json"));

  a = Call(port, "POST", kGetCriteriaSet, "forged", body);
  EXPECT_EQ(a.status, 401);

  a = Call(port, "POST", kGetCriteriaSet, GatewayEnv::Token("can-bo-ban-bo"), body);
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_THAT(a.body, HasSubstr(R"("name":"criteriaSets/lai-chau-2022")"));
  // Criterion 1 is "Quy hoạch": UTF-8 arrives as written.
  EXPECT_THAT(a.body, HasSubstr("Quy hoạch"));
}

TEST(GatewayHttpTest, ErrorsCarryTheGrpcCodeAndTheMatchingHttpStatus) {
  auto env = GatewayEnv::Start();
  ASSERT_NE(env, nullptr);
  const int port = env->http_port();
  const std::string bo = GatewayEnv::Token("can-bo-ban-bo");

  // Another commune's data: 403, nothing stored.
  const std::string before = env->service().Snapshot();
  HttpAnswer a = Call(port, "POST", kCreateAssessment, bo,
                      R"({"parent": "units/03421", "asOfDate": "2023-12-31"})");
  EXPECT_EQ(a.status, 403) << a.body;
  EXPECT_THAT(a.body, HasSubstr(R"("code": 7)"));
  EXPECT_THAT(a.body, HasSubstr("units/03421"));
  EXPECT_EQ(env->service().Snapshot(), before);

  // Its own commune: 200, recorded as the authenticated principal; the same again: 409.
  a = Call(port, "POST", kCreateAssessment, bo,
           R"({"parent": "units/03424", "asOfDate": "2023-12-31"})");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_THAT(a.body, HasSubstr(R"("createdBy":"can-bo-ban-bo")"));
  a = Call(port, "POST", kCreateAssessment, bo,
           R"({"parent": "units/03424", "asOfDate": "2023-12-31"})");
  EXPECT_EQ(a.status, 409) << a.body;
  EXPECT_THAT(a.body, HasSubstr("ALREADY_EXISTS"));

  // Malformed JSON and an unknown field: 400 naming the problem, nothing stored.
  const std::string after_create = env->service().Snapshot();
  a = Call(port, "POST", kCreateAssessment, bo, R"({"parent": )");
  EXPECT_EQ(a.status, 400) << a.body;
  EXPECT_THAT(a.body, HasSubstr("INVALID_ARGUMENT"));
  a = Call(port, "POST", kCreateAssessment, bo, R"({"parent": "units/03424", "colour": "red"})");
  EXPECT_EQ(a.status, 400) << a.body;
  EXPECT_THAT(a.body, HasSubstr("colour"));
  // A field the service validates: 400 naming the field.
  a = Call(port, "POST", kCreateAssessment, bo,
           R"({"parent": "units/03424", "asOfDate": "31/12/2023"})");
  EXPECT_EQ(a.status, 400) << a.body;
  EXPECT_THAT(a.body, HasSubstr("as_of_date"));
  EXPECT_EQ(env->service().Snapshot(), after_create);

  // No such method: 404; not POST: 405; health: 200.
  EXPECT_EQ(Call(port, "POST", "/ntm.assessment.v1.CatalogService/Nope", bo, "{}").status, 404);
  EXPECT_EQ(Call(port, "GET", kGetCriteriaSet, bo, "").status, 405);
  a = Call(port, "GET", "/healthz", "", "");
  EXPECT_EQ(a.status, 200);
  EXPECT_THAT(a.body, HasSubstr("SERVING"));
}

TEST(GatewayHttpTest, TheStandingOfficeIssuesADirectiveInJsonWithItsLocalDeadline) {
  auto env = GatewayEnv::Start();
  ASSERT_NE(env, nullptr);
  const int port = env->http_port();
  const std::string body = R"({"parent": "units/106", "directiveId": "tam-duong-2024",
    "directive": {"documentNumber": "01/UBND-NN&PTNT", "issueDate": "2024-01-15", "year": 2024,
      "deadline": "2024-02-10T23:59:59+07:00", "deliverables": ["DELIVERABLE_PLAN"],
      "focusIndicators": ["13.3", "17.11"],
      "title": "V/v xây dựng Kế hoạch thực hiện Chương trình nông thôn mới năm 2024"}})";

  // A commune officer may not issue one: 403, nothing stored.
  const std::string before = env->plans().Snapshot();
  HttpAnswer a = Call(port, "POST", "/ntm.plans.v1.DirectiveService/CreateDirective",
                      GatewayEnv::Token("can-bo-ban-bo"), body);
  EXPECT_EQ(a.status, 403) << a.body;
  EXPECT_EQ(env->plans().Snapshot(), before);

  a = Call(port, "POST", "/ntm.plans.v1.DirectiveService/CreateDirective",
           GatewayEnv::Token("tam-duong-nnptnt"), body);
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_THAT(a.body, HasSubstr(R"("deadline":"2024-02-10T16:59:59Z")"));
  EXPECT_THAT(a.body, HasSubstr(R"("deadlineLocal":"2024-02-10T23:59:59+07:00")"));
  EXPECT_THAT(a.body, HasSubstr("Kế hoạch thực hiện Chương trình nông thôn mới"));
  EXPECT_EQ(env->plans().QueryInt("SELECT COUNT(*) FROM directive_units"), 13);

  // A steering member reads who has sent what.
  a = Call(port, "POST", "/ntm.plans.v1.PlanService/GetSubmissionStatus",
           GatewayEnv::Token("tam-duong-yte"),
           R"({"directive": "units/106/directives/tam-duong-2024"})");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_THAT(a.body, HasSubstr(R"("status":"SUBMISSION_STATUS_NOT_STARTED")"));
  EXPECT_THAT(a.body, HasSubstr("Xã Bản Bo"));
}

TEST(GatewayHttpTest, ACommuneRegistersItsVillagesChangesInJsonAndTheDistrictSeesWhatIsMissing) {
  auto env = GatewayEnv::Start();
  ASSERT_NE(env, nullptr);
  const int port = env->http_port();
  HttpAnswer a = Call(port, "POST", "/ntm.plans.v1.DirectiveService/CreateDirective",
                      GatewayEnv::Token("tam-duong-nnptnt"),
                      R"({"parent": "units/106", "directiveId": "tam-duong-2024",
    "directive": {"documentNumber": "01/UBND-NN&PTNT", "issueDate": "2024-01-15", "year": 2024,
      "deadline": "2024-02-10T23:59:59+07:00", "deliverables": ["DELIVERABLE_REGISTRATION"]}})");
  ASSERT_EQ(a.status, 200) << a.body;

  const std::string ban_bo = GatewayEnv::Token("can-bo-ban-bo");
  a = Call(port, "POST", "/ntm.registrations.v1.RegistrationService/CreateRegistration", ban_bo,
           R"({"parent": "units/03424", "directive": "units/106/directives/tam-duong-2024"})");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_THAT(a.body, HasSubstr(R"("state":"REGISTRATION_STATE_DRAFT")"));

  // Another commune's officer may not write into Bản Bo's registration: 403, nothing stored.
  const std::string update = R"({"registration": {
      "name": "units/03424/registrations/tam-duong-2024",
      "modelPoint": {"content": "Bản sáng - xanh - sạch - đẹp, an toàn Nà Khương",
                     "place": "Bản Nà Khương", "indicatorCodes": ["17.3", "17.11"]},
      "villageChanges": [{"village": "units/03424001",
                          "content": "Mỗi hộ một hố rác, bản có điểm tập kết",
                          "lastYearState": "Rác đổ ven suối", "thisYearTarget": "Không còn rác ven suối"}]},
    "updateMask": "modelPoint,villageChanges"})";
  const std::string before = env->registrations().Snapshot();
  a = Call(port, "POST", "/ntm.registrations.v1.RegistrationService/UpdateRegistration",
           GatewayEnv::Token("can-bo-binh-lu"), update);
  EXPECT_EQ(a.status, 403) << a.body;
  EXPECT_EQ(env->registrations().Snapshot(), before);

  a = Call(port, "POST", "/ntm.registrations.v1.RegistrationService/UpdateRegistration", ban_bo,
           update);
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_THAT(a.body, HasSubstr("Bản sáng - xanh - sạch - đẹp, an toàn Nà Khương"));
  EXPECT_THAT(a.body, HasSubstr("Mỗi hộ một hố rác, bản có điểm tập kết"));

  // Submitting what is incomplete: 400-class refusal listing what is missing, nothing changed.
  const std::string edited = env->registrations().Snapshot();
  a = Call(port, "POST", "/ntm.registrations.v1.RegistrationService/SubmitRegistration", ban_bo,
           R"({"name": "units/03424/registrations/tam-duong-2024"})");
  EXPECT_EQ(a.status, 400) << a.body;
  EXPECT_THAT(a.body, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(a.body, HasSubstr("endorsements"));
  EXPECT_EQ(env->registrations().Snapshot(), edited);

  // A steering member reads which communes and villages are still missing.
  a = Call(port, "POST", "/ntm.registrations.v1.RegistrationService/GetRegistrationStatus",
           GatewayEnv::Token("tam-duong-tnmt"),
           R"({"directive": "units/106/directives/tam-duong-2024"})");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_THAT(a.body, HasSubstr(R"("progress":"REGISTRATION_PROGRESS_INCOMPLETE")"));
  EXPECT_THAT(a.body, HasSubstr(R"("progress":"REGISTRATION_PROGRESS_NOT_STARTED")"));
  EXPECT_THAT(a.body, HasSubstr(R"("registered":true)"));
  EXPECT_THAT(a.body, HasSubstr("Bản Nà Khương"));
}

TEST(GatewayHttpTest, AnOwningAgencyUrgesACommuneInJsonAndOnlyThatCommuneReadsItsInbox) {
  auto env = GatewayEnv::Start();
  ASSERT_NE(env, nullptr);
  const int port = env->http_port();
  constexpr char kUrge[] = "/ntm.notifications.v1.NotificationService/SendUrge";
  constexpr char kList[] = "/ntm.notifications.v1.NotificationService/ListNotifications";
  const std::string urge = R"({"parent": "units/106", "units": ["units/03412"],
    "indicatorCodes": ["15.2"], "requestId": "http-urge-0001",
    "message": "Đề nghị xã rà soát tỷ lệ người dân tham gia bảo hiểm y tế trước ngày 30/6"})";

  // An agency that does not own 15.2 may not urge on it: 403, nothing stored.
  const std::string before = env->notifications().Snapshot();
  HttpAnswer a = Call(port, "POST", kUrge, GatewayEnv::Token("tam-duong-tnmt"), urge);
  EXPECT_EQ(a.status, 403) << a.body;
  EXPECT_EQ(env->notifications().Snapshot(), before);

  // The health office owns it: one notice, in Bình Lư's inbox, the text intact.
  a = Call(port, "POST", kUrge, GatewayEnv::Token("tam-duong-yte"), urge);
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_THAT(a.body, HasSubstr(R"("kind":"NOTIFICATION_KIND_URGE")"));
  EXPECT_THAT(a.body, HasSubstr(R"("inbox":"units/03412")"));
  EXPECT_EQ(env->notifications().QueryInt("SELECT COUNT(*) FROM notifications"), 1);

  // Only Bình Lư's own office reads that inbox.
  a = Call(port, "POST", kList, GatewayEnv::Token("can-bo-ban-bo"), R"({"parent": "units/03412"})");
  EXPECT_EQ(a.status, 403) << a.body;
  a = Call(port, "POST", kList, GatewayEnv::Token("can-bo-binh-lu"),
           R"({"parent": "units/03412"})");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_THAT(a.body, HasSubstr("bảo hiểm y tế trước ngày 30/6"));
  EXPECT_THAT(a.body, HasSubstr(R"("unreadCount":1)"));
  EXPECT_THAT(a.body, HasSubstr(R"("indicatorCodes":["15.2"])"));

  // Marking it read through JSON.
  a = Call(port, "POST", "/ntm.notifications.v1.NotificationService/MarkRead",
           GatewayEnv::Token("can-bo-binh-lu"),
           R"({"parent": "units/03412", "upTo": "units/03412/notifications/1"})");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_THAT(a.body, HasSubstr(R"("marked":1)"));

  // A webhook to an address that is not http(s): 400 naming the field, nothing stored.
  const std::string marked = env->notifications().Snapshot();
  a = Call(port, "POST", "/ntm.notifications.v1.NotificationService/CreateSubscription",
           GatewayEnv::Token("can-bo-binh-lu"),
           R"({"parent": "units/03412", "subscription": {"channel": "CHANNEL_WEBHOOK",
                "address": "ftp://example.invalid/hook"}})");
  EXPECT_EQ(a.status, 400) << a.body;
  EXPECT_THAT(a.body, HasSubstr("address"));
  EXPECT_EQ(env->notifications().Snapshot(), marked);

  // The stream is a gRPC call only; over HTTP it says so.
  a = Call(port, "POST", "/ntm.notifications.v1.NotificationService/WatchNotifications",
           GatewayEnv::Token("can-bo-binh-lu"), R"({"parent": "units/03412"})");
  EXPECT_EQ(a.status, 501) << a.body;
}

TEST(GatewayHttpTest, APrincipalOverItsRateGets429AndOthersAreNotSlowed) {
  GatewayEnvOptions options;
  options.rate_per_second = 1;
  options.rate_burst = 3;
  auto env = GatewayEnv::Start(options);
  ASSERT_NE(env, nullptr);
  const int port = env->http_port();
  const std::string body = R"({"name": "criteriaSets/lai-chau-2022"})";
  const std::string bhxh = GatewayEnv::Token("tam-duong-bhxh");
  int ok = 0;
  HttpAnswer last;
  // The clock does not move: the burst is all the principal gets.
  for (int i = 0; i < 5; ++i) {
    last = Call(port, "POST", kGetCriteriaSet, bhxh, body);
    ok += last.status == 200 ? 1 : 0;
  }
  EXPECT_EQ(ok, 3);
  EXPECT_EQ(last.status, 429) << last.body;
  EXPECT_THAT(last.body, HasSubstr("RESOURCE_EXHAUSTED"));
  EXPECT_THAT(last.headers, HasSubstr("Retry-After: 1"));
  // Another principal still gets through.
  EXPECT_EQ(Call(port, "POST", kGetCriteriaSet, GatewayEnv::Token("can-bo-ban-bo"), body).status,
            200);
  // Time passes: the principal may call again.
  env->service().clock().Advance(absl::Seconds(2));
  EXPECT_EQ(Call(port, "POST", kGetCriteriaSet, bhxh, body).status, 200);
}

}  // namespace
}  // namespace ntm::gateway
