// Small helpers shared by the assessment service's integration tests: names from the reference
// data, value builders, a matcher for gRPC statuses, and the calls most tests make.
#ifndef NTM_SERVICES_ASSESSMENT_TESTS_INTEGRATION_INTEGRATION_HELPERS_H_
#define NTM_SERVICES_ASSESSMENT_TESTS_INTEGRATION_INTEGRATION_HELPERS_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "services/assessment/tests/test_env.h"

namespace grpc {

// Prints a status readably in gtest failure messages (found by argument-dependent lookup).
inline void PrintTo(const Status& status, std::ostream* os) {
  *os << "code " << status.error_code() << " \"" << status.error_message() << "\"";
}

}  // namespace grpc

namespace ntm::assessment::testing {

// Reference data (data/units/lai-chau.json, data/catalog/lai-chau-2022.json,
// data/demo/tam-duong.json).
inline constexpr char kSet[] = "criteriaSets/lai-chau-2022";
inline constexpr char kLaiChau[] = "units/12";
inline constexpr char kTamDuong[] = "units/106";
inline constexpr char kBanBo[] = "units/03424";
inline constexpr char kBanHon[] = "units/03421";
inline constexpr char kBinhLu[] = "units/03412";
inline constexpr char kBanNaKhuong[] = "units/03424001";  // a village of Xã Bản Bo
inline constexpr char kSungPhai[] = "units/03403";        // a commune of Thành phố Lai Châu
inline constexpr char kYte[] = "agencies/tam-duong-yte";
inline constexpr char kBhxh[] = "agencies/tam-duong-bhxh";
inline constexpr char kTnmt[] = "agencies/tam-duong-tnmt";
inline constexpr char kNnptnt[] = "agencies/tam-duong-nnptnt";
inline constexpr char kChqs[] = "agencies/tam-duong-chqs";
inline constexpr char kCongan[] = "agencies/tam-duong-congan";
inline constexpr char kProvinceOffice[] = "agencies/lai-chau-vpdp";  // belongs to units/12
inline constexpr char kCommuneOfficer[] = "can-bo-ban-bo";
inline constexpr char kAsOf[] = "2023-12-31";

// Matches a grpc::Status with the given code and a message matching `message_matcher`.
MATCHER_P2(GrpcStatusIs, code, message_matcher,
           "has code " + ::testing::PrintToString(static_cast<int>(code)) + " and a message that " +
               ::testing::DescribeMatcher<std::string>(message_matcher)) {
  if (arg.error_code() != code) {
    *result_listener << "has code " << arg.error_code() << " and message \"" << arg.error_message()
                     << "\"";
    return false;
  }
  return ::testing::ExplainMatchResult(message_matcher, arg.error_message(), result_listener);
}

// Matches an OK grpc::Status, printing the error otherwise.
MATCHER(GrpcOk, "is OK") {
  if (!arg.ok()) {
    *result_listener << "has code " << arg.error_code() << " and message \"" << arg.error_message()
                     << "\"";
    return false;
  }
  return true;
}

// Compares two ServiceEnv::Snapshot() texts; on a difference, lists the rows (prefixed with
// their table) that disappeared ("-") or appeared ("+") instead of printing both snapshots.
inline ::testing::AssertionResult SameRows(const std::string& before, const std::string& after) {
  if (before == after) {
    return ::testing::AssertionSuccess();
  }
  auto rows = [](const std::string& snapshot) {
    std::vector<std::string> out;
    std::string table;
    size_t start = 0;
    while (start < snapshot.size()) {
      size_t end = snapshot.find('\n', start);
      if (end == std::string::npos) {
        end = snapshot.size();
      }
      std::string line = snapshot.substr(start, end - start);
      if (line.rfind("## ", 0) == 0) {
        table = line.substr(3);
      } else {
        out.push_back(table + ": " + line);
      }
      start = end + 1;
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  const std::vector<std::string> a = rows(before);
  const std::vector<std::string> b = rows(after);
  std::vector<std::string> gone;
  std::vector<std::string> added;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(gone));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(added));
  ::testing::AssertionResult result = ::testing::AssertionFailure();
  result << "the database changed:";
  int shown = 0;
  for (const std::string& r : gone) {
    if (++shown <= 20) {
      result << "\n  - " << r.substr(0, 300);
    }
  }
  for (const std::string& r : added) {
    if (++shown <= 20) {
      result << "\n  + " << r.substr(0, 300);
    }
  }
  if (shown > 20) {
    result << "\n  ... " << shown - 20 << " more";
  }
  return result;
}

inline v1::IndicatorValue BoolValue(const std::string& code, bool value) {
  v1::IndicatorValue v;
  v.set_indicator_code(code);
  v.set_boolean_value(value);
  return v;
}

inline v1::IndicatorValue NumberValue(const std::string& code, double value) {
  v1::IndicatorValue v;
  v.set_indicator_code(code);
  v.set_number_value(value);
  return v;
}

inline v1::IndicatorValue CountValue(const std::string& code, int64_t value) {
  v1::IndicatorValue v;
  v.set_indicator_code(code);
  v.set_count_value(value);
  return v;
}

// A value that meets the indicator under the demo thresholds.
inline v1::IndicatorValue PassingValue(const v1::Indicator& i) {
  switch (i.measure()) {
    case v1::MEASURE_BOOLEAN:
      return BoolValue(i.code(), true);
    case v1::MEASURE_NONE_ALLOWED:
      return CountValue(i.code(), 0);
    case v1::MEASURE_PERCENT_AT_MOST:
      return NumberValue(i.code(), 0);
    case v1::MEASURE_PERCENT_AT_LEAST:
      return NumberValue(i.code(), 100);
    case v1::MEASURE_COUNT_AT_LEAST:
      return CountValue(i.code(), 1000);
    default:
      return NumberValue(i.code(), 1000);
  }
}

inline v1::CriteriaSet GetSet(ServiceEnv& env) {
  v1::GetCriteriaSetRequest req;
  req.set_name(kSet);
  v1::GetCriteriaSetResponse resp;
  grpc::Status s = env.catalog().GetCriteriaSet(ServiceEnv::Context("reader").get(), req, &resp);
  EXPECT_THAT(s, GrpcOk());
  return resp.criteria_set();
}

// The indicator of the edition with the given code (default instance when absent).
inline v1::Indicator FindIndicator(const v1::CriteriaSet& set, const std::string& code) {
  for (const auto& c : set.criteria()) {
    for (const auto& i : c.indicators()) {
      if (i.code() == code) {
        return i;
      }
    }
  }
  ADD_FAILURE() << "no indicator " << code;
  return v1::Indicator();
}

inline grpc::Status CreateAssessment(ServiceEnv& env, const std::string& unit,
                                     const std::string& date, v1::Assessment* out,
                                     const std::string& principal = kCommuneOfficer,
                                     const std::string& request_id = "") {
  v1::CreateAssessmentRequest req;
  req.set_parent(unit);
  req.set_as_of_date(date);
  req.set_request_id(request_id);
  v1::CreateAssessmentResponse resp;
  grpc::Status s =
      env.assessments().CreateAssessment(ServiceEnv::Context(principal).get(), req, &resp);
  if (out != nullptr) {
    *out = resp.assessment();
  }
  return s;
}

// Creates an assessment, failing the test when it cannot.
inline v1::Assessment MustCreate(ServiceEnv& env, const std::string& unit,
                                 const std::string& date = kAsOf) {
  v1::Assessment a;
  grpc::Status s = CreateAssessment(env, unit, date, &a);
  EXPECT_THAT(s, GrpcOk()) << "CreateAssessment " << unit << " " << date;
  return a;
}

inline grpc::Status SetValues(ServiceEnv& env, const std::string& name, const std::string& etag,
                              const std::vector<v1::IndicatorValue>& values, v1::Assessment* out,
                              const std::string& principal = kCommuneOfficer,
                              const std::string& agency = "", const std::string& request_id = "") {
  v1::SetIndicatorValuesRequest req;
  req.set_name(name);
  req.set_etag(etag);
  req.set_request_id(request_id);
  for (const auto& v : values) {
    *req.add_values() = v;
  }
  v1::SetIndicatorValuesResponse resp;
  grpc::Status s = env.assessments().SetIndicatorValues(
      ServiceEnv::Context(principal, agency).get(), req, &resp);
  if (out != nullptr) {
    *out = resp.assessment();
  }
  return s;
}

inline grpc::Status Submit(ServiceEnv& env, const std::string& name, const std::string& etag,
                           v1::Assessment* out) {
  v1::SubmitAssessmentRequest req;
  req.set_name(name);
  req.set_etag(etag);
  v1::SubmitAssessmentResponse resp;
  grpc::Status s =
      env.assessments().SubmitAssessment(ServiceEnv::Context(kCommuneOfficer).get(), req, &resp);
  if (out != nullptr) {
    *out = resp.assessment();
  }
  return s;
}

inline grpc::Status Review(ServiceEnv& env, const std::string& name, const std::string& etag,
                           const std::string& criterion, v1::ReviewVerdict verdict,
                           const std::string& reason, const std::string& principal,
                           const std::string& agency, v1::Assessment* out) {
  v1::ReviewCriterionRequest req;
  req.set_name(name);
  req.set_etag(etag);
  req.set_criterion_code(criterion);
  req.set_verdict(verdict);
  req.set_reason(reason);
  v1::ReviewCriterionResponse resp;
  grpc::Status s =
      env.assessments().ReviewCriterion(ServiceEnv::Context(principal, agency).get(), req, &resp);
  if (out != nullptr) {
    *out = resp.assessment();
  }
  return s;
}

inline v1::Assessment MustGet(ServiceEnv& env, const std::string& name) {
  v1::GetAssessmentRequest req;
  req.set_name(name);
  v1::GetAssessmentResponse resp;
  EXPECT_THAT(env.assessments().GetAssessment(ServiceEnv::Context("reader").get(), req, &resp),
              GrpcOk());
  return resp.assessment();
}

inline v1::CommuneStatus MustGetStatus(ServiceEnv& env, const std::string& unit,
                                       const std::string& date = kAsOf) {
  v1::GetCommuneStatusRequest req;
  req.set_unit(unit);
  req.set_as_of_date(date);
  v1::GetCommuneStatusResponse resp;
  EXPECT_THAT(env.assessments().GetCommuneStatus(ServiceEnv::Context("reader").get(), req, &resp),
              GrpcOk());
  return resp.status();
}

inline v1::IndicatorStatus IndicatorIn(const v1::CommuneStatus& status, const std::string& code) {
  for (const auto& i : status.indicators()) {
    if (i.indicator_code() == code) {
      return i;
    }
  }
  ADD_FAILURE() << "no indicator " << code << " in the status";
  return v1::IndicatorStatus();
}

inline v1::CriterionStatus CriterionIn(const v1::CommuneStatus& status, const std::string& code) {
  for (const auto& c : status.criteria()) {
    if (c.criterion_code() == code) {
      return c;
    }
  }
  ADD_FAILURE() << "no criterion " << code << " in the status";
  return v1::CriterionStatus();
}

// The id of an assessment row, for SQL checks.
inline int64_t AssessmentId(ServiceEnv& env, const std::string& unit_code,
                            const std::string& date) {
  return env.QueryInt("SELECT id FROM assessments WHERE unit_code = '" + unit_code +
                      "' AND as_of = '" + date + "'");
}

}  // namespace ntm::assessment::testing

#endif  // NTM_SERVICES_ASSESSMENT_TESTS_INTEGRATION_INTEGRATION_HELPERS_H_
