// ntm-loadgen: a closed-loop load generator for the assessment service and the echo baseline.
//
//   ntm-loadgen --target=127.0.0.1:50061 --method=commune_status --concurrency=8
//               --duration_seconds=10 --warmup_seconds=2 --unit=03424 --as_of=2023-12-31
//
// Closed loop: --concurrency workers, each with exactly one call in flight; a worker issues its
// next call when the previous one completes, so the offered load follows the server's speed and
// nothing queues up outside it. Calls that complete during the warm-up are not counted; calls that
// complete inside the measurement window are; no call starts after the window closes. Every call
// has a deadline (--deadline_ms) and carries x-ntm-principal, and with --token_file the bearer
// token the gateway authenticates. At the end it prints one JSON line.
//
// Client design: the gRPC callback API, each worker a small state machine that issues its next
// call from the completion callback of the previous one. The load generator shares the machine's
// (two) cores with the service and its database; a thread per worker blocking in synchronous calls
// would add a thread wake-up and context switch to every call and more of them as concurrency
// grows, taking CPU from the server being measured. With callbacks the client runs on gRPC's own
// small thread pool whatever the concurrency. The same client measures the echo baseline, so
// what it does cost is in both figures of a ratio.
//
// Methods:
//   echo               EchoService.Echo with --payload_bytes of payload (the baseline).
//   commune_status     AssessmentService.GetCommuneStatus of --unit as of --as_of; several
//                      comma-separated units are spread over the workers.
//   set_values_batch   SetIndicatorValues with every indicator of the criteria set in one call.
//   set_values_single  SetIndicatorValues with one indicator per call, cycling through them all.
//   setup              Creates the assessment of each --unit as of --as_of (ALREADY_EXISTS is
//                      fine) and sets every value once; measures nothing.
//   submission_status  PlanService.GetSubmissionStatus of --directive (the plans service, or
//                      the gateway with the standing office's token).
//   plans_setup        Against the plans service (--target) and the assessment service
//                      (--assessment_target): issues --directive to every commune below its
//                      issuing unit, and for each --unit submits its assessment as of --as_of and
//                      creates, fills (tasks, funding) and submits its plan. Each step that was
//                      done before (ALREADY_EXISTS, FAILED_PRECONDITION) is fine; measures nothing.
// The value methods first create each --unit's assessment (ALREADY_EXISTS is fine), read its
// criteria set with GetCriteriaSet and build, per indicator, a value that satisfies its measure
// (at its threshold for the year when one is set). Worker i writes the assessment of unit
// i mod (number of units): give at least --concurrency units so that no two workers share an
// assessment. Each call passes the etag of the previous answer; after ABORTED (stale etag, when
// workers do share an assessment) or any other failure the worker re-reads the etag with
// GetAssessment before its next call. Each call has its own request_id, as a real client's.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "ntm/assessment/v1/assessment.grpc.pb.h"
#include "ntm/assessment/v1/catalog.grpc.pb.h"
#include "ntm/bench/v1/echo.grpc.pb.h"
#include "ntm/plans/v1/directive.grpc.pb.h"
#include "ntm/plans/v1/plan.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50061", "server address, host:port");
ABSL_FLAG(std::string, method, "echo",
          "echo, commune_status, set_values_batch, set_values_single, setup, submission_status "
          "or plans_setup");
ABSL_FLAG(int32_t, concurrency, 8, "calls in flight at any time (closed-loop workers), 1-256");
ABSL_FLAG(int32_t, duration_seconds, 10, "length of the measurement window, 1-120 seconds");
ABSL_FLAG(int32_t, warmup_seconds, 2, "calls before the window, not counted, 0-60 seconds");
ABSL_FLAG(std::string, unit, "03424",
          "commune code(s), comma-separated, with or without the units/ prefix");
ABSL_FLAG(std::string, as_of, "2023-12-31", "as-of date of the assessments, YYYY-MM-DD");
ABSL_FLAG(int32_t, deadline_ms, 5000, "deadline of every call, milliseconds");
ABSL_FLAG(int32_t, payload_bytes, 64, "payload size of echo calls");
ABSL_FLAG(std::string, principal, "bench-loadgen", "x-ntm-principal sent with every call");
ABSL_FLAG(std::string, directive, "units/106/directives/bench-2024",
          "the directive of submission_status and plans_setup");
ABSL_FLAG(std::string, assessment_target, "",
          "plans_setup: the assessment service, host:port (its --target is the plans service)");
ABSL_FLAG(std::string, token_file, "",
          "a file holding a bearer token sent with every call (to measure through the gateway)");

namespace {

namespace apb = ::ntm::assessment::v1;
namespace bpb = ::ntm::bench::v1;
namespace ppb = ::ntm::plans::v1;
using Clock = std::chrono::steady_clock;

constexpr int kMaxDurationSeconds = 120;
constexpr int kMaxWarmupSeconds = 60;
constexpr int kMaxConcurrency = 256;

struct Config {
  std::string target;
  std::string method;
  int concurrency = 0;
  int duration_seconds = 0;
  int warmup_seconds = 0;
  std::vector<std::string> units;  // "units/03424"
  std::string as_of;
  std::chrono::milliseconds deadline{0};
  int payload_bytes = 0;
  std::string principal;
  std::string token_file;
  std::string token;
  std::string directive;  // "units/106/directives/bench-2024"
  std::string assessment_target;
};

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "ntm-loadgen: %s\n", message.c_str());
  std::exit(1);
}

std::string CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return absl::StrCat("CODE_", static_cast<int>(code));
  }
}

// A JSON string literal of s (quotes, backslashes and control characters escaped).
std::string Json(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppendFormat(&out, "\\u%04x", static_cast<int>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string Describe(const grpc::Status& s) {
  return absl::StrCat(CodeName(s.error_code()), ": ", s.error_message());
}

// A context with the deadline and the caller's identity; one per call (gRPC forbids reuse).
std::unique_ptr<grpc::ClientContext> NewContext(const Config& config) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + config.deadline);
  ctx->AddMetadata("x-ntm-principal", config.principal);
  if (!config.token.empty()) {
    ctx->AddMetadata("authorization", "Bearer " + config.token);
  }
  return ctx;
}

// Counts down to zero once per worker; the main thread waits for zero with a deadline.
class Latch {
 public:
  explicit Latch(int count) : count_(count) {}
  void CountDown() {
    absl::MutexLock lock(&mu_);
    --count_;
  }
  bool WaitUntil(absl::Time deadline) {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithDeadline(absl::Condition(&Latch::IsZero, &count_), deadline);
  }

 private:
  static bool IsZero(int* count) { return *count == 0; }

  absl::Mutex mu_;
  int count_ ABSL_GUARDED_BY(mu_);
};

// What one worker saw in the measurement window. A worker's calls never overlap, so its
// recorder needs no lock; the main thread reads it after the worker has counted down the latch.
struct Recorder {
  int64_t calls = 0;      // completed inside the window
  int64_t all_calls = 0;  // completed at any time, warm-up included
  std::vector<int64_t> ok_latency_ns;
  std::map<std::string, int64_t> errors;
  int64_t etag_reads = 0;  // GetAssessment calls: the first read, and one after each failure

  void Record(Clock::time_point window_begin, Clock::time_point window_end,
              Clock::time_point started, const grpc::Status& status) {
    const Clock::time_point done = Clock::now();
    ++all_calls;
    if (done < window_begin || done >= window_end) {
      return;
    }
    ++calls;
    if (status.ok()) {
      ok_latency_ns.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(done - started).count());
    } else {
      ++errors[CodeName(status.error_code())];
    }
  }
};

// A closed-loop worker: Issue() starts one call whose completion callback records it and calls
// Continue(), which issues the next call or, once the window has closed, counts down the latch.
class Worker {
 public:
  Worker(const Config* config, Clock::time_point window_begin, Clock::time_point window_end,
         Latch* done)
      : config_(config), window_begin_(window_begin), window_end_(window_end), done_(done) {}
  virtual ~Worker() = default;
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void Start() { Issue(); }
  const Recorder& recorder() const { return recorder_; }
  // Size of the response of the worker's last call (after it stopped).
  virtual int64_t last_response_bytes() const = 0;

 protected:
  virtual void Issue() = 0;

  // Prepares a fresh context for the next call and notes when it starts.
  grpc::ClientContext* BeginCall() {
    ctx_ = NewContext(*config_);
    started_ = Clock::now();
    return ctx_.get();
  }
  void Record(const grpc::Status& status) {
    recorder_.Record(window_begin_, window_end_, started_, status);
  }
  void Continue() {
    if (Clock::now() >= window_end_) {
      done_->CountDown();  // the last thing this worker does
      return;
    }
    Issue();
  }

  const Config* config_;
  Recorder recorder_;

 private:
  const Clock::time_point window_begin_;
  const Clock::time_point window_end_;
  Latch* done_;
  std::unique_ptr<grpc::ClientContext> ctx_;
  Clock::time_point started_;
};

class EchoWorker final : public Worker {
 public:
  EchoWorker(const Config* config, Clock::time_point b, Clock::time_point e, Latch* done,
             bpb::EchoService::Stub* stub)
      : Worker(config, b, e, done), stub_(stub) {
    request_.set_payload(std::string(static_cast<size_t>(config->payload_bytes), 'x'));
  }

  int64_t last_response_bytes() const override {
    return static_cast<int64_t>(response_.ByteSizeLong());
  }

 protected:
  void Issue() override {
    response_.Clear();
    stub_->async()->Echo(BeginCall(), &request_, &response_, [this](grpc::Status s) {
      Record(s);
      Continue();
    });
  }

 private:
  bpb::EchoService::Stub* stub_;
  bpb::EchoRequest request_;
  bpb::EchoResponse response_;
};

class StatusWorker final : public Worker {
 public:
  StatusWorker(const Config* config, Clock::time_point b, Clock::time_point e, Latch* done,
               apb::AssessmentService::Stub* stub, const std::string& unit)
      : Worker(config, b, e, done), stub_(stub) {
    request_.set_unit(unit);
    request_.set_as_of_date(config->as_of);
  }

  int64_t last_response_bytes() const override {
    return static_cast<int64_t>(response_.ByteSizeLong());
  }

 protected:
  void Issue() override {
    response_.Clear();
    stub_->async()->GetCommuneStatus(BeginCall(), &request_, &response_, [this](grpc::Status s) {
      Record(s);
      Continue();
    });
  }

 private:
  apb::AssessmentService::Stub* stub_;
  apb::GetCommuneStatusRequest request_;
  apb::GetCommuneStatusResponse response_;
};

class SubmissionStatusWorker final : public Worker {
 public:
  SubmissionStatusWorker(const Config* config, Clock::time_point b, Clock::time_point e,
                         Latch* done, ppb::PlanService::Stub* stub)
      : Worker(config, b, e, done), stub_(stub) {
    request_.set_directive(config->directive);
  }

  int64_t last_response_bytes() const override {
    return static_cast<int64_t>(response_.ByteSizeLong());
  }

 protected:
  void Issue() override {
    response_.Clear();
    stub_->async()->GetSubmissionStatus(BeginCall(), &request_, &response_, [this](grpc::Status s) {
      Record(s);
      Continue();
    });
  }

 private:
  ppb::PlanService::Stub* stub_;
  ppb::GetSubmissionStatusRequest request_;
  ppb::GetSubmissionStatusResponse response_;
};

class ValueWorker final : public Worker {
 public:
  ValueWorker(const Config* config, Clock::time_point b, Clock::time_point e, Latch* done,
              apb::AssessmentService::Stub* stub, const std::string& assessment,
              const std::vector<apb::IndicatorValue>* values, bool batch,
              std::string request_id_prefix)
      : Worker(config, b, e, done),
        stub_(stub),
        values_(values),
        batch_(batch),
        request_id_prefix_(std::move(request_id_prefix)) {
    set_request_.set_name(assessment);
    get_request_.set_name(assessment);
    if (batch_) {
      for (const apb::IndicatorValue& v : *values_) {
        *set_request_.add_values() = v;
      }
    }
  }

  int64_t last_response_bytes() const override {
    return static_cast<int64_t>(set_response_.ByteSizeLong());
  }

 protected:
  void Issue() override {
    if (need_etag_) {
      get_response_.Clear();
      stub_->async()->GetAssessment(BeginCall(), &get_request_, &get_response_,
                                    [this](grpc::Status s) {
                                      ++recorder_.etag_reads;
                                      if (s.ok()) {
                                        etag_ = get_response_.assessment().etag();
                                        need_etag_ = false;
                                      }
                                      Continue();
                                    });
      return;
    }
    set_request_.set_etag(etag_);
    set_request_.set_request_id(absl::StrCat(request_id_prefix_, "-", ++sequence_));
    if (!batch_) {
      set_request_.clear_values();
      *set_request_.add_values() = (*values_)[next_];
    }
    set_response_.Clear();
    stub_->async()->SetIndicatorValues(BeginCall(), &set_request_, &set_response_,
                                       [this](grpc::Status s) {
                                         Record(s);
                                         if (s.ok()) {
                                           etag_ = set_response_.assessment().etag();
                                           next_ = (next_ + 1) % values_->size();
                                         } else {
                                           // ABORTED: another writer changed it; otherwise the
                                           // outcome is unknown. Either way, read the etag again.
                                           need_etag_ = true;
                                         }
                                         Continue();
                                       });
  }

 private:
  apb::AssessmentService::Stub* stub_;
  const std::vector<apb::IndicatorValue>* values_;
  const bool batch_;
  const std::string request_id_prefix_;
  apb::SetIndicatorValuesRequest set_request_;
  apb::SetIndicatorValuesResponse set_response_;
  apb::GetAssessmentRequest get_request_;
  apb::GetAssessmentResponse get_response_;
  std::string etag_;
  bool need_etag_ = true;  // the first call reads the etag
  size_t next_ = 0;
  int64_t sequence_ = 0;
};

// --- Preparation, with blocking calls before the clock starts ------------------------------------

std::optional<double> ThresholdFor(const apb::Indicator& indicator, int year) {
  const apb::Threshold* chosen = nullptr;
  for (const apb::Threshold& t : indicator.thresholds()) {
    if (t.year() == year) {
      chosen = &t;
      break;
    }
    if (t.year() == 0) {
      chosen = &t;
    }
  }
  if (chosen == nullptr || !chosen->has_value()) {
    return std::nullopt;
  }
  return chosen->value();
}

// One value per indicator of the set, each satisfying its measure: at the year's threshold when
// one is set, else a value that is valid and would meet any sensible threshold.
std::vector<apb::IndicatorValue> BuildValues(const apb::CriteriaSet& set, int year) {
  std::vector<apb::IndicatorValue> values;
  for (const apb::Criterion& criterion : set.criteria()) {
    for (const apb::Indicator& indicator : criterion.indicators()) {
      apb::IndicatorValue v;
      v.set_indicator_code(indicator.code());
      v.set_note("ntm-loadgen");
      const std::optional<double> t = ThresholdFor(indicator, year);
      switch (indicator.measure()) {
        case apb::MEASURE_BOOLEAN:
          v.set_boolean_value(true);
          break;
        case apb::MEASURE_NONE_ALLOWED:
          v.set_count_value(0);
          break;
        case apb::MEASURE_PERCENT_AT_LEAST:
          v.set_number_value(t.has_value() ? std::clamp(*t, 0.0, 100.0) : 100.0);
          break;
        case apb::MEASURE_PERCENT_AT_MOST:
          v.set_number_value(t.has_value() ? std::clamp(*t, 0.0, 100.0) : 0.0);
          break;
        case apb::MEASURE_AMOUNT_AT_LEAST:
          v.set_number_value(t.has_value() ? std::max(*t, 0.0) : 1.0);
          break;
        case apb::MEASURE_COUNT_AT_LEAST:
          v.set_count_value(t.has_value() ? static_cast<int64_t>(std::ceil(std::max(*t, 0.0))) : 1);
          break;
        default:
          Die(absl::StrCat("indicator ", indicator.code(), " has an unknown measure ",
                           static_cast<int>(indicator.measure())));
      }
      values.push_back(std::move(v));
    }
  }
  if (values.empty()) {
    Die(absl::StrCat("criteria set ", set.name(), " has no indicators"));
  }
  return values;
}

struct Prepared {
  std::vector<std::string> assessments;  // one per unit, in --unit order
  std::string criteria_set;
  std::vector<apb::IndicatorValue> values;
};

// Creates (or finds) the assessment of every unit, checks that each is a draft of the same
// criteria set, and builds the values of that set.
Prepared PrepareAssessments(const Config& config, apb::AssessmentService::Stub* assessments,
                            apb::CatalogService::Stub* catalog) {
  Prepared out;
  for (const std::string& unit : config.units) {
    apb::CreateAssessmentRequest create;
    create.set_parent(unit);
    create.set_as_of_date(config.as_of);
    apb::CreateAssessmentResponse created;
    grpc::Status s = assessments->CreateAssessment(NewContext(config).get(), create, &created);
    if (!s.ok() && s.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
      Die(absl::StrCat("CreateAssessment ", unit, " as of ", config.as_of, ": ", Describe(s)));
    }
    const std::string name = absl::StrCat(unit, "/assessments/", config.as_of);
    apb::GetAssessmentRequest get;
    get.set_name(name);
    apb::GetAssessmentResponse got;
    s = assessments->GetAssessment(NewContext(config).get(), get, &got);
    if (!s.ok()) {
      Die(absl::StrCat("GetAssessment ", name, ": ", Describe(s)));
    }
    if (got.assessment().state() != apb::ASSESSMENT_STATE_DRAFT) {
      Die(absl::StrCat(name, " is not a draft; its values cannot change"));
    }
    if (out.criteria_set.empty()) {
      out.criteria_set = got.assessment().criteria_set();
    } else if (out.criteria_set != got.assessment().criteria_set()) {
      Die(absl::StrCat(name, " uses ", got.assessment().criteria_set(), ", not ",
                       out.criteria_set));
    }
    out.assessments.push_back(name);
  }
  apb::GetCriteriaSetRequest get_set;
  get_set.set_name(out.criteria_set);
  get_set.set_view(apb::CRITERIA_SET_VIEW_FULL);
  apb::GetCriteriaSetResponse set;
  grpc::Status s = catalog->GetCriteriaSet(NewContext(config).get(), get_set, &set);
  if (!s.ok()) {
    Die(absl::StrCat("GetCriteriaSet ", out.criteria_set, ": ", Describe(s)));
  }
  int year = 0;
  if (!absl::SimpleAtoi(absl::string_view(config.as_of).substr(0, 4), &year)) {
    Die(absl::StrCat("--as_of: '", config.as_of, "' is not YYYY-MM-DD"));
  }
  out.values = BuildValues(set.criteria_set(), year);
  return out;
}

// Sets every value of one assessment in one call with its current etag; returns the answer.
apb::Assessment FillAssessment(const Config& config, apb::AssessmentService::Stub* stub,
                               const std::string& name,
                               const std::vector<apb::IndicatorValue>& values) {
  apb::GetAssessmentRequest get;
  get.set_name(name);
  apb::GetAssessmentResponse got;
  grpc::Status s = stub->GetAssessment(NewContext(config).get(), get, &got);
  if (!s.ok()) {
    Die(absl::StrCat("GetAssessment ", name, ": ", Describe(s)));
  }
  apb::SetIndicatorValuesRequest set;
  set.set_name(name);
  set.set_etag(got.assessment().etag());
  for (const apb::IndicatorValue& v : values) {
    *set.add_values() = v;
  }
  apb::SetIndicatorValuesResponse answer;
  s = stub->SetIndicatorValues(NewContext(config).get(), set, &answer);
  if (!s.ok()) {
    Die(absl::StrCat("SetIndicatorValues ", name, ": ", Describe(s)));
  }
  return answer.assessment();
}

// --- Configuration and report
// ----------------------------------------------------------------------

Config ReadConfig() {
  Config c;
  c.target = absl::GetFlag(FLAGS_target);
  c.method = absl::GetFlag(FLAGS_method);
  c.concurrency = absl::GetFlag(FLAGS_concurrency);
  c.duration_seconds = absl::GetFlag(FLAGS_duration_seconds);
  c.warmup_seconds = absl::GetFlag(FLAGS_warmup_seconds);
  c.as_of = absl::GetFlag(FLAGS_as_of);
  c.deadline = std::chrono::milliseconds(absl::GetFlag(FLAGS_deadline_ms));
  c.payload_bytes = absl::GetFlag(FLAGS_payload_bytes);
  c.principal = absl::GetFlag(FLAGS_principal);
  c.token_file = absl::GetFlag(FLAGS_token_file);
  c.directive = absl::GetFlag(FLAGS_directive);
  c.assessment_target = absl::GetFlag(FLAGS_assessment_target);
  if (!c.token_file.empty()) {
    std::ifstream in(c.token_file);
    if (!std::getline(in, c.token) || c.token.empty()) {
      Die("--token_file: cannot read a token from " + c.token_file);
    }
  }
  for (absl::string_view u : absl::StrSplit(absl::GetFlag(FLAGS_unit), ',', absl::SkipEmpty())) {
    u = absl::StripAsciiWhitespace(u);
    absl::ConsumePrefix(&u, "units/");
    if (u.empty() || u.find('/') != absl::string_view::npos) {
      Die(absl::StrCat("--unit: '", u, "' is not a unit code such as 03424"));
    }
    c.units.push_back(absl::StrCat("units/", u));
  }
  const std::vector<std::string> methods = {
      "echo",  "commune_status",    "set_values_batch", "set_values_single",
      "setup", "submission_status", "plans_setup"};
  if (std::find(methods.begin(), methods.end(), c.method) == methods.end()) {
    Die(absl::StrCat("--method: '", c.method, "' is none of ", absl::StrJoin(methods, ", ")));
  }
  if (c.concurrency < 1 || c.concurrency > kMaxConcurrency) {
    Die(absl::StrCat("--concurrency: must be 1-", kMaxConcurrency));
  }
  if (c.duration_seconds < 1 || c.duration_seconds > kMaxDurationSeconds) {
    Die(absl::StrCat("--duration_seconds: must be 1-", kMaxDurationSeconds));
  }
  if (c.warmup_seconds < 0 || c.warmup_seconds > kMaxWarmupSeconds) {
    Die(absl::StrCat("--warmup_seconds: must be 0-", kMaxWarmupSeconds));
  }
  if (c.deadline.count() < 1 || c.deadline.count() > 60000) {
    Die("--deadline_ms: must be 1-60000");
  }
  if (c.payload_bytes < 0 || c.payload_bytes > (4 << 20) - 1024) {
    Die("--payload_bytes: must be 0-4MiB less 1KiB");
  }
  const std::vector<std::string> parts = absl::StrSplit(c.directive, '/');
  if ((c.method == "submission_status" || c.method == "plans_setup") &&
      (parts.size() != 4 || parts[0] != "units" || parts[2] != "directives")) {
    Die(absl::StrCat("--directive: '", c.directive,
                     "' is not a directive name such as units/106/directives/bench-2024"));
  }
  if (c.method == "plans_setup" && c.assessment_target.empty()) {
    Die("--assessment_target: plans_setup needs the assessment service");
  }
  if (c.method != "echo" && c.method != "submission_status" && c.units.empty()) {
    Die("--unit: give at least one commune");
  }
  return c;
}

// Calls `call` and dies unless it succeeds or fails with one of `fine` (a step done before).
template <typename Call>
void Step(const std::string& what, Call call, std::vector<grpc::StatusCode> fine = {}) {
  const grpc::Status s = call();
  if (!s.ok() && std::find(fine.begin(), fine.end(), s.error_code()) == fine.end()) {
    Die(absl::StrCat(what, ": ", Describe(s)));
  }
}

// plans_setup: the directive, and for each unit a submitted assessment and a submitted plan
// with two tasks and funding that adds up. Prints one JSON line.
void SetUpPlans(const Config& config, ppb::DirectiveService::Stub* directives,
                ppb::PlanService::Stub* plans, apb::AssessmentService::Stub* assessments) {
  const std::vector<std::string> parts = absl::StrSplit(config.directive, '/');
  ppb::CreateDirectiveRequest directive;
  directive.set_parent(absl::StrCat("units/", parts[1]));
  directive.set_directive_id(parts[3]);
  ppb::Directive* d = directive.mutable_directive();
  d->set_document_number(absl::StrCat("BENCH/", parts[3]));
  d->set_issue_date("2024-01-15");
  d->set_year(2024);
  d->mutable_deadline()->set_seconds(1707584399);  // 10/02/2024 23:59:59 +07:00
  d->add_deliverables(ppb::DELIVERABLE_PLAN);
  for (const char* code : {"13.3", "13.5", "15.1", "17.3", "17.6", "17.7", "17.11"}) {
    d->add_focus_indicators(code);
  }
  d->set_title("Benchmark directive");
  ppb::CreateDirectiveResponse created;
  Step("CreateDirective",
       [&] { return directives->CreateDirective(NewContext(config).get(), directive, &created); },
       {grpc::StatusCode::ALREADY_EXISTS});
  int plans_submitted = 0;
  for (const std::string& unit : config.units) {
    const std::string assessment = absl::StrCat(unit, "/assessments/", config.as_of);
    apb::CreateAssessmentRequest create;
    create.set_parent(unit);
    create.set_as_of_date(config.as_of);
    apb::CreateAssessmentResponse a;
    Step("CreateAssessment " + unit,
         [&] { return assessments->CreateAssessment(NewContext(config).get(), create, &a); },
         {grpc::StatusCode::ALREADY_EXISTS});
    apb::GetAssessmentRequest get;
    get.set_name(assessment);
    apb::GetAssessmentResponse got;
    Step("GetAssessment " + assessment,
         [&] { return assessments->GetAssessment(NewContext(config).get(), get, &got); });
    if (got.assessment().state() == apb::ASSESSMENT_STATE_DRAFT) {
      apb::SubmitAssessmentRequest submit;
      submit.set_name(assessment);
      submit.set_etag(got.assessment().etag());
      apb::SubmitAssessmentResponse submitted;
      Step("SubmitAssessment " + assessment, [&] {
        return assessments->SubmitAssessment(NewContext(config).get(), submit, &submitted);
      });
    }
    ppb::CreatePlanRequest plan;
    plan.set_parent(unit);
    plan.set_directive(config.directive);
    ppb::CreatePlanResponse plan_created;
    Step("CreatePlan " + unit,
         [&] { return plans->CreatePlan(NewContext(config).get(), plan, &plan_created); },
         {grpc::StatusCode::ALREADY_EXISTS});
    const std::string name = absl::StrCat(unit, "/plans/", parts[3]);
    ppb::UpdatePlanRequest update;
    update.mutable_plan()->set_name(name);
    for (int i = 0; i < 2; ++i) {
      ppb::Task* t = update.mutable_plan()->add_tasks();
      t->set_content_group(i == 0 ? ppb::CONTENT_GROUP_INFRASTRUCTURE
                                  : ppb::CONTENT_GROUP_CULTURE_SOCIETY_ENVIRONMENT);
      t->set_content(i == 0 ? "Cứng hóa đường trục bản" : "Thu gom, phân loại rác thải tại nguồn");
      t->set_responsible("UBND xã");
      t->set_start_date("2024-03-01");
      t->set_end_date("2024-11-30");
      t->set_cost_dong(500'000'000);
    }
    ppb::Funding* f = update.mutable_plan()->mutable_funding();
    f->set_total_dong(1'000'000'000);
    for (auto g :
         {ppb::CONTENT_GROUP_INFRASTRUCTURE, ppb::CONTENT_GROUP_CULTURE_SOCIETY_ENVIRONMENT}) {
      ppb::GroupAmount* a = f->add_by_group();
      a->set_content_group(g);
      a->set_amount_dong(500'000'000);
    }
    ppb::SourceAmount* s = f->add_by_source();
    s->set_source(ppb::FUNDING_SOURCE_NTM_PROGRAM);
    s->set_amount_dong(1'000'000'000);
    update.mutable_update_mask()->add_paths("tasks");
    update.mutable_update_mask()->add_paths("funding");
    ppb::UpdatePlanResponse updated;
    Step("UpdatePlan " + name,
         [&] { return plans->UpdatePlan(NewContext(config).get(), update, &updated); },
         {grpc::StatusCode::FAILED_PRECONDITION});
    ppb::SubmitPlanRequest submit;
    submit.set_name(name);
    ppb::SubmitPlanResponse submitted;
    Step("SubmitPlan " + name,
         [&] { return plans->SubmitPlan(NewContext(config).get(), submit, &submitted); },
         {grpc::StatusCode::FAILED_PRECONDITION});
    ++plans_submitted;
  }
  std::printf("{\"method\":\"plans_setup\",\"directive\":%s,\"plans\":%d}\n",
              Json(config.directive).c_str(), plans_submitted);
}

// Nearest-rank percentile of sorted latencies, in milliseconds.
double PercentileMs(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) {
    return 0;
  }
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return static_cast<double>(sorted[rank - 1]) / 1e6;
}

void PrintReport(const Config& config, const std::vector<std::unique_ptr<Worker>>& workers,
                 int values_per_call, int64_t response_bytes) {
  int64_t calls = 0;
  int64_t all_calls = 0;
  int64_t etag_reads = 0;
  int64_t last_response_bytes = 0;
  std::vector<int64_t> latencies;
  std::map<std::string, int64_t> errors;
  for (const auto& w : workers) {
    const Recorder& r = w->recorder();
    calls += r.calls;
    all_calls += r.all_calls;
    etag_reads += r.etag_reads;
    last_response_bytes = std::max(last_response_bytes, w->last_response_bytes());
    latencies.insert(latencies.end(), r.ok_latency_ns.begin(), r.ok_latency_ns.end());
    for (const auto& [code, n] : r.errors) {
      errors[code] += n;
    }
  }
  std::sort(latencies.begin(), latencies.end());
  const int64_t ok = static_cast<int64_t>(latencies.size());
  const double seconds = config.duration_seconds;
  const double qps = static_cast<double>(ok) / seconds;
  std::vector<std::string> error_fields;
  for (const auto& [code, n] : errors) {
    error_fields.push_back(absl::StrFormat("%s:%d", Json(code), n));
  }
  std::string line = absl::StrFormat(
      "{\"method\":%s,\"target\":%s,\"concurrency\":%d,\"duration_s\":%d,\"warmup_s\":%d,"
      "\"calls\":%d,\"ok\":%d,\"calls_incl_warmup\":%d,\"qps\":%.1f,"
      "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"errors\":{%s},"
      "\"response_bytes\":%d,\"last_response_bytes\":%d",
      Json(config.method), Json(config.target), config.concurrency, config.duration_seconds,
      config.warmup_seconds, calls, ok, all_calls, qps, PercentileMs(latencies, 0.50),
      PercentileMs(latencies, 0.90), PercentileMs(latencies, 0.99),
      latencies.empty() ? 0.0 : static_cast<double>(latencies.back()) / 1e6,
      absl::StrJoin(error_fields, ","), response_bytes, last_response_bytes);
  if (values_per_call > 0) {
    absl::StrAppendFormat(&line, ",\"values_per_call\":%d,\"values_per_s\":%.1f,\"etag_reads\":%d",
                          values_per_call, qps * values_per_call, etag_reads);
  }
  line += "}";
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "closed-loop gRPC load generator for the assessment service and the echo baseline; prints "
      "one JSON line");
  absl::ParseCommandLine(argc, argv);
  const Config config = ReadConfig();

  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(config.target, grpc::InsecureChannelCredentials());
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
    Die(absl::StrCat("cannot connect to ", config.target, " within 10 s"));
  }
  auto echo = bpb::EchoService::NewStub(channel);
  auto directives = ppb::DirectiveService::NewStub(channel);
  auto plans = ppb::PlanService::NewStub(channel);
  if (config.method == "plans_setup") {
    auto assessment_channel =
        grpc::CreateChannel(config.assessment_target, grpc::InsecureChannelCredentials());
    auto assessment_stub = apb::AssessmentService::NewStub(assessment_channel);
    SetUpPlans(config, directives.get(), plans.get(), assessment_stub.get());
    return 0;
  }
  auto assessments = apb::AssessmentService::NewStub(channel);
  auto catalog = apb::CatalogService::NewStub(channel);

  // Preparation and a first call of the kind measured, so that a setup mistake fails loudly here
  // instead of as a window full of errors.
  Prepared prepared;
  int values_per_call = 0;
  int64_t response_bytes = 0;
  if (config.method == "echo") {
    bpb::EchoRequest req;
    req.set_payload(std::string(static_cast<size_t>(config.payload_bytes), 'x'));
    bpb::EchoResponse resp;
    grpc::Status s = echo->Echo(NewContext(config).get(), req, &resp);
    if (!s.ok()) {
      Die(absl::StrCat("Echo: ", Describe(s)));
    }
    response_bytes = static_cast<int64_t>(resp.ByteSizeLong());
  } else if (config.method == "submission_status") {
    ppb::GetSubmissionStatusRequest req;
    req.set_directive(config.directive);
    ppb::GetSubmissionStatusResponse resp;
    grpc::Status s = plans->GetSubmissionStatus(NewContext(config).get(), req, &resp);
    if (!s.ok()) {
      Die(absl::StrCat("GetSubmissionStatus ", config.directive, ": ", Describe(s)));
    }
    response_bytes = static_cast<int64_t>(resp.ByteSizeLong());
  } else if (config.method == "commune_status") {
    for (const std::string& unit : config.units) {
      apb::GetCommuneStatusRequest req;
      req.set_unit(unit);
      req.set_as_of_date(config.as_of);
      apb::GetCommuneStatusResponse resp;
      grpc::Status s = assessments->GetCommuneStatus(NewContext(config).get(), req, &resp);
      if (!s.ok()) {
        Die(absl::StrCat("GetCommuneStatus ", unit, " as of ", config.as_of, ": ", Describe(s)));
      }
      response_bytes = static_cast<int64_t>(resp.ByteSizeLong());
    }
  } else {
    prepared = PrepareAssessments(config, assessments.get(), catalog.get());
    // Every value once, in one call per assessment: checks that the server takes them all.
    std::vector<std::string> fields;
    for (const std::string& name : prepared.assessments) {
      const apb::Assessment a = FillAssessment(config, assessments.get(), name, prepared.values);
      response_bytes = static_cast<int64_t>(a.ByteSizeLong());
      fields.push_back(absl::StrFormat("{\"name\":%s,\"values\":%d,\"etag\":%s}", Json(a.name()),
                                       a.values_size(), Json(a.etag())));
    }
    if (config.method == "setup") {
      std::printf(
          "{\"method\":\"setup\",\"criteria_set\":%s,\"values_per_call\":%d,"
          "\"assessments\":[%s]}\n",
          Json(prepared.criteria_set).c_str(), static_cast<int>(prepared.values.size()),
          absl::StrJoin(fields, ",").c_str());
      return 0;
    }
    const bool batch = config.method == "set_values_batch";
    values_per_call = batch ? static_cast<int>(prepared.values.size()) : 1;
  }

  const Clock::time_point window_begin = Clock::now() + std::chrono::seconds(config.warmup_seconds);
  const Clock::time_point window_end = window_begin + std::chrono::seconds(config.duration_seconds);
  Latch done(config.concurrency);
  std::vector<std::unique_ptr<Worker>> workers;
  const std::string id_prefix =
      absl::StrCat("bench-", getpid(), "-", absl::ToUnixMillis(absl::Now()));
  for (int i = 0; i < config.concurrency; ++i) {
    if (config.method == "echo") {
      workers.push_back(
          std::make_unique<EchoWorker>(&config, window_begin, window_end, &done, echo.get()));
    } else if (config.method == "submission_status") {
      workers.push_back(std::make_unique<SubmissionStatusWorker>(&config, window_begin, window_end,
                                                                 &done, plans.get()));
    } else if (config.method == "commune_status") {
      workers.push_back(std::make_unique<StatusWorker>(
          &config, window_begin, window_end, &done, assessments.get(),
          config.units[static_cast<size_t>(i) % config.units.size()]));
    } else {
      workers.push_back(std::make_unique<ValueWorker>(
          &config, window_begin, window_end, &done, assessments.get(),
          prepared.assessments[static_cast<size_t>(i) % prepared.assessments.size()],
          &prepared.values, config.method == "set_values_batch", absl::StrCat(id_prefix, "-", i)));
    }
  }
  for (auto& w : workers) {
    w->Start();
  }
  // Every call has a deadline, so every worker stops at most one deadline after the window.
  const absl::Time limit = absl::Now() + absl::Seconds(config.warmup_seconds) +
                           absl::Seconds(config.duration_seconds) +
                           absl::FromChrono(config.deadline) * 2 + absl::Seconds(5);
  if (!done.WaitUntil(limit)) {
    // Workers still have calls in flight and cannot be destroyed safely: leave at once.
    std::fprintf(stderr, "ntm-loadgen: calls still in flight long after the window; giving up\n");
    std::_Exit(1);
  }
  PrintReport(config, workers, values_per_call, response_bytes);
  return 0;
}
