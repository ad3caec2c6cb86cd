// Retries with a request id change nothing; concurrent writers race safely: one wins, the others
// are told precisely why they lost.
#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "services/assessment/tests/integration/integration_helpers.h"
#include "services/assessment/tests/test_env.h"

namespace ntm::assessment::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;

class IdempotencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ServiceEnv::Start();
    ASSERT_NE(env_, nullptr);
  }

  int64_t Count(const std::string& sql) { return env_->QueryInt(sql); }

  std::unique_ptr<ServiceEnv> env_;
};

// Runs `fn(i)` on `n` threads released together, and returns their statuses.
template <typename Fn>
std::vector<grpc::Status> RunTogether(int n, Fn fn) {
  std::vector<grpc::Status> out(n);
  std::latch start(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      out[i] = fn(i);
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  return out;
}

TEST_F(IdempotencyTest, SetIndicatorValuesRetryReturnsTheFirstResultAndWritesNothing) {
  v1::Assessment a = MustCreate(*env_, kBanBo);
  const std::vector<v1::IndicatorValue> values = {NumberValue("17.11", 45), BoolValue("1.1", true),
                                                  CountValue("9.1", 0)};
  v1::Assessment first;
  ASSERT_THAT(SetValues(*env_, a.name(), a.etag(), values, &first, kCommuneOfficer, "", "req-1"),
              GrpcOk());
  EXPECT_EQ(first.values_size(), 3);
  const int64_t events = Count("SELECT COUNT(*) FROM assessment_events");
  const int64_t version = Count("SELECT version FROM assessments");
  const std::string before = env_->Snapshot();

  // The retry comes later (the first answer was lost); it still carries the etag of its time.
  env_->clock().Advance(absl::Minutes(3));
  for (int retry = 0; retry < 2; ++retry) {
    SCOPED_TRACE(retry);
    v1::Assessment again;
    ASSERT_THAT(SetValues(*env_, a.name(), a.etag(), values, &again, kCommuneOfficer, "", "req-1"),
                GrpcOk());
    EXPECT_TRUE(MessageDifferencer::Equals(again, first))
        << "first: " << first.DebugString() << "\nretry: " << again.DebugString();
    EXPECT_EQ(Count("SELECT COUNT(*) FROM assessment_events"), events);
    EXPECT_EQ(Count("SELECT version FROM assessments"), version);
    EXPECT_TRUE(SameRows(before, env_->Snapshot()));
  }
}

TEST_F(IdempotencyTest, SameRequestIdWithAnotherBodyIsAlreadyExists) {
  v1::Assessment a = MustCreate(*env_, kBanBo);
  // A refused call does not use up its request id: the corrected call may reuse it.
  EXPECT_THAT(SetValues(*env_, a.name(), a.etag(), {NumberValue("17.11", 145)}, nullptr,
                        kCommuneOfficer, "", "req-1"),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("values[0]")));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM request_ids"), 0);
  v1::Assessment first;
  ASSERT_THAT(SetValues(*env_, a.name(), a.etag(), {NumberValue("17.11", 45)}, &first,
                        kCommuneOfficer, "", "req-1"),
              GrpcOk());
  const std::string before = env_->Snapshot();
  // Another value under the same request id, even with the current etag.
  EXPECT_THAT(SetValues(*env_, a.name(), first.etag(), {NumberValue("17.11", 50)}, nullptr,
                        kCommuneOfficer, "", "req-1"),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS, HasSubstr("req-1")));
  EXPECT_TRUE(SameRows(before, env_->Snapshot()));
  // The same body for another commune's assessment.
  v1::Assessment other = MustCreate(*env_, kBanHon);
  const std::string before_other = env_->Snapshot();
  EXPECT_THAT(SetValues(*env_, other.name(), other.etag(), {NumberValue("17.11", 45)}, nullptr,
                        kCommuneOfficer, "", "req-1"),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS, HasSubstr("request_id")));
  EXPECT_TRUE(SameRows(before_other, env_->Snapshot()));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM assessment_values"), 1);
  EXPECT_EQ(env_->QueryString("SELECT number_value FROM assessment_values"), "45.0000");
}

TEST_F(IdempotencyTest, CreateAssessmentRetryReturnsTheSameAssessment) {
  v1::Assessment first;
  ASSERT_THAT(CreateAssessment(*env_, kBanBo, kAsOf, &first, kCommuneOfficer, "create-1"),
              GrpcOk());
  const std::string before = env_->Snapshot();
  env_->clock().Advance(absl::Minutes(1));
  v1::Assessment again;
  ASSERT_THAT(CreateAssessment(*env_, kBanBo, kAsOf, &again, kCommuneOfficer, "create-1"),
              GrpcOk());
  EXPECT_TRUE(MessageDifferencer::Equals(again, first))
      << "first: " << first.DebugString() << "\nretry: " << again.DebugString();
  EXPECT_TRUE(SameRows(before, env_->Snapshot()));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM assessments"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM assessment_events"), 1);

  // The same request id for another commune is another request.
  EXPECT_THAT(CreateAssessment(*env_, kBanHon, kAsOf, nullptr, kCommuneOfficer, "create-1"),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS, HasSubstr("request_id")));
  // Without a request id, a second create of the same commune and date is refused.
  EXPECT_THAT(CreateAssessment(*env_, kBanBo, kAsOf, nullptr),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS, HasSubstr("units/03424")));
  // As is one with a fresh request id.
  EXPECT_THAT(CreateAssessment(*env_, kBanBo, kAsOf, nullptr, kCommuneOfficer, "create-2"),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS, HasSubstr("units/03424")));
  EXPECT_TRUE(SameRows(before, env_->Snapshot()));
}

TEST_F(IdempotencyTest, ConcurrentCreatesOfOneAssessmentLetExactlyOneWin) {
  // Several rounds, each a new date, to give the race a real chance.
  const std::vector<std::string> dates = {"2023-12-31", "2023-06-30", "2022-12-31", "2024-06-30",
                                          "2024-12-31"};
  for (const std::string& date : dates) {
    SCOPED_TRACE(date);
    std::vector<grpc::Status> statuses =
        RunTogether(2, [&](int) { return CreateAssessment(*env_, kBanBo, date, nullptr); });
    int ok = 0;
    int exists = 0;
    for (const grpc::Status& s : statuses) {
      ok += s.ok() ? 1 : 0;
      exists += s.error_code() == grpc::StatusCode::ALREADY_EXISTS ? 1 : 0;
      EXPECT_TRUE(s.ok() || s.error_code() == grpc::StatusCode::ALREADY_EXISTS)
          << s.error_code() << " " << s.error_message();
    }
    EXPECT_EQ(ok, 1);
    EXPECT_EQ(exists, 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM assessments WHERE as_of = '" + date + "'"), 1);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM assessment_events"), static_cast<int64_t>(dates.size()));
}

TEST_F(IdempotencyTest, ConcurrentSetIndicatorValuesWithOneEtagLetExactlyOneWin) {
  v1::Assessment a = MustCreate(*env_, kBanBo);
  constexpr int kWriters = 6;
  std::vector<grpc::Status> statuses = RunTogether(kWriters, [&](int i) {
    return SetValues(*env_, a.name(), a.etag(), {NumberValue("17.11", 40 + i)}, nullptr,
                     "writer-" + std::to_string(i));
  });
  int ok = 0;
  int winner = -1;
  for (int i = 0; i < kWriters; ++i) {
    if (statuses[i].ok()) {
      ++ok;
      winner = i;
    } else {
      EXPECT_THAT(statuses[i], GrpcStatusIs(grpc::StatusCode::ABORTED, HasSubstr("etag")));
    }
  }
  ASSERT_EQ(ok, 1);
  EXPECT_EQ(Count("SELECT version FROM assessments"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM assessment_events WHERE action = 'values_set'"), 1);
  EXPECT_EQ(env_->QueryString("SELECT supplied_by FROM assessment_values"),
            "writer-" + std::to_string(winner));
  EXPECT_EQ(env_->QueryString("SELECT number_value FROM assessment_values"),
            std::to_string(40 + winner) + ".0000");
}

TEST_F(IdempotencyTest, ConcurrentRetriesOfOneSetIndicatorValuesApplyOnce) {
  v1::Assessment a = MustCreate(*env_, kBanBo);
  constexpr int kRetries = 4;
  std::vector<v1::Assessment> results(kRetries);
  std::vector<grpc::Status> statuses = RunTogether(kRetries, [&](int i) {
    return SetValues(*env_, a.name(), a.etag(), {NumberValue("17.11", 45)}, &results[i],
                     kCommuneOfficer, "", "req-concurrent");
  });
  for (int i = 0; i < kRetries; ++i) {
    EXPECT_THAT(statuses[i], GrpcOk()) << "retry " << i;
    EXPECT_EQ(results[i].etag(), "\"2\"") << "retry " << i;
  }
  EXPECT_EQ(Count("SELECT version FROM assessments"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM assessment_events WHERE action = 'values_set'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM request_ids"), 1);
}

// The contract: "ALREADY_EXISTS when the commune already has an assessment as of that date (a
// retry with the same request_id returns it instead)". A client whose first call timed out may
// retry while that call is still running; the retry must then get the assessment, not an error.
// SERVICE BUG (reported): MySqlAssessmentRepository::Create checks request_ids before inserting,
// so a retry that overlaps the first call finds no request id yet, then loses the INSERT race on
// the unique key and answers ALREADY_EXISTS.
TEST_F(IdempotencyTest, ConcurrentRetriesOfOneCreateAssessmentAllGetTheAssessment) {
  const std::vector<std::string> dates = {"2023-12-31", "2023-06-30", "2022-12-31"};
  for (const std::string& date : dates) {
    SCOPED_TRACE(date);
    constexpr int kRetries = 3;
    std::vector<v1::Assessment> results(kRetries);
    std::vector<grpc::Status> statuses = RunTogether(kRetries, [&](int i) {
      return CreateAssessment(*env_, kBanBo, date, &results[i], kCommuneOfficer, "create-" + date);
    });
    for (int i = 0; i < kRetries; ++i) {
      EXPECT_THAT(statuses[i], GrpcOk()) << "retry " << i;
      EXPECT_EQ(results[i].name(), "units/03424/assessments/" + date) << "retry " << i;
    }
    EXPECT_EQ(Count("SELECT COUNT(*) FROM assessments WHERE as_of = '" + date + "'"), 1);
  }
}

}  // namespace
}  // namespace ntm::assessment::testing
