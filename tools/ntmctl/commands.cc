#include "tools/ntmctl/commands.h"

#include <chrono>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "ntm/assessment/v1/assessment.grpc.pb.h"
#include "ntm/assessment/v1/catalog.grpc.pb.h"
#include "ntm/assessment/v1/directory.grpc.pb.h"
#include "ntm/notifications/v1/notification.grpc.pb.h"
#include "ntm/plans/v1/directive.grpc.pb.h"
#include "ntm/plans/v1/plan.grpc.pb.h"
#include "ntm/registrations/v1/registration.grpc.pb.h"
#include "tools/ntmctl/digest.h"
#include "tools/ntmctl/plan_edit.h"
#include "tools/ntmctl/render.h"
#include "tools/ntmctl/render_notifications.h"
#include "tools/ntmctl/render_plans.h"
#include "tools/ntmctl/render_registrations.h"
#include "tools/ntmctl/text.h"
#include "tools/ntmctl/values.h"

namespace ntm::ntmctl {
namespace {

namespace v1 = ::ntm::assessment::v1;
namespace pv1 = ::ntm::plans::v1;
namespace rv1 = ::ntm::registrations::v1;
namespace nv1 = ::ntm::notifications::v1;

constexpr char kDefaultCriteriaSet[] = "criteriaSets/lai-chau-2022";
// Guards against a server that keeps returning a next_page_token.
constexpr int kMaxPages = 10000;

// The connection and identity shared by the calls of one run. The gateway forwards the calls of
// every service, so all stubs share the one channel.
class Session {
 public:
  Session(GlobalOptions options, const std::shared_ptr<grpc::ChannelInterface>& channel)
      : options_(std::move(options)),
        channel_(channel),
        catalog_(v1::CatalogService::NewStub(channel)),
        directory_(v1::DirectoryService::NewStub(channel)),
        assessments_(v1::AssessmentService::NewStub(channel)),
        directives_(pv1::DirectiveService::NewStub(channel)),
        plans_(pv1::PlanService::NewStub(channel)),
        registrations_(rv1::RegistrationService::NewStub(channel)),
        notifications_(nv1::NotificationService::NewStub(channel)) {}

  const GlobalOptions& options() const { return options_; }
  v1::CatalogService::StubInterface& catalog() { return *catalog_; }
  v1::DirectoryService::StubInterface& directory() { return *directory_; }
  v1::AssessmentService::StubInterface& assessments() { return *assessments_; }
  pv1::DirectiveService::StubInterface& directives() { return *directives_; }
  pv1::PlanService::StubInterface& plans() { return *plans_; }
  rv1::RegistrationService::StubInterface& registrations() { return *registrations_; }
  nv1::NotificationService::StubInterface& notifications() { return *notifications_; }
  const std::shared_ptr<grpc::ChannelInterface>& channel() const { return channel_; }

  // Puts the caller's identity into the metadata of `context`.
  void Identify(grpc::ClientContext* context) const {
    if (!options_.token.empty()) {
      context->AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
    }
    context->AddMetadata("x-ntm-principal", options_.principal);
    if (!options_.agency.empty()) {
      context->AddMetadata("x-ntm-agency", options_.agency);
    }
  }

  // Makes one call with the caller's identity in metadata and a deadline `timeout` from now. `call`
  // is invoked with the prepared context and returns the call's grpc::Status.
  template <typename CallFn>
  absl::Status Call(CallFn call) {
    grpc::ClientContext context;
    Identify(&context);
    context.set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
    const grpc::Status status = call(&context);
    if (status.ok()) {
      return absl::OkStatus();
    }
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }

 private:
  GlobalOptions options_;
  std::shared_ptr<grpc::ChannelInterface> channel_;
  std::unique_ptr<v1::CatalogService::StubInterface> catalog_;
  std::unique_ptr<v1::DirectoryService::StubInterface> directory_;
  std::unique_ptr<v1::AssessmentService::StubInterface> assessments_;
  std::unique_ptr<pv1::DirectiveService::StubInterface> directives_;
  std::unique_ptr<pv1::PlanService::StubInterface> plans_;
  std::unique_ptr<rv1::RegistrationService::StubInterface> registrations_;
  std::unique_ptr<nv1::NotificationService::StubInterface> notifications_;
};

// One command: its parsed arguments and where to print.
struct Invocation {
  const ParsedArgs& args;
  const Io& io;
  Session& session;

  std::ostream& out() const { return *io.out; }
  bool json() const { return session.options().json; }

  std::optional<std::string> Option(const std::string& name) const {
    const auto it = args.options.find(name);
    if (it == args.options.end()) {
      return std::nullopt;
    }
    return it->second;
  }
};

// Follows next_page_token from `request` until the last page (at most kMaxPages pages), calling
// `call` for each page and `take` to move the page's items out.
template <typename Response, typename Request, typename Call, typename Take>
absl::Status CollectPages(const Invocation& inv, Request request, Call call, Take take) {
  for (int page = 0; page < kMaxPages; ++page) {
    Response response;
    absl::Status status = inv.session.Call(
        [&](grpc::ClientContext* context) { return call(context, request, &response); });
    if (!status.ok()) {
      return status;
    }
    take(response);
    if (response.next_page_token().empty() || response.next_page_token() == request.page_token()) {
      break;
    }
    request.set_page_token(response.next_page_token());
  }
  return absl::OkStatus();
}

absl::Status PrintJson(const google::protobuf::Message& message, std::ostream& out) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("không chuyển được sang JSON: ", status.ToString()));
  }
  out << json;
  if (json.empty() || json.back() != '\n') {
    out << '\n';
  }
  return absl::OkStatus();
}

// Makes one call (`call(context, &response)`), then prints the response: as JSON with --json,
// otherwise as `render(response)` gives it.
template <typename Response, typename CallFn, typename RenderFn>
absl::Status CallAndPrint(const Invocation& inv, CallFn call, RenderFn render) {
  Response response;
  absl::Status status =
      inv.session.Call([&](grpc::ClientContext* context) { return call(context, &response); });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << render(response);
  return absl::OkStatus();
}

// Usage error unless between `min` and `max` positional words follow the first `skip` ones (the
// command words).
absl::Status ExpectArgs(const ParsedArgs& args, size_t skip, size_t min, size_t max,
                        absl::string_view synopsis) {
  const size_t given = args.positionals.size() - skip;
  if (given < min) {
    return UsageError(absl::StrFormat("thiếu tham số; cú pháp: ntmctl %s", synopsis));
  }
  if (given > max) {
    return UsageError(absl::StrFormat("thừa tham số \"%s\"; cú pháp: ntmctl %s",
                                      args.positionals[skip + max], synopsis));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RequiredDate(const Invocation& inv, absl::string_view synopsis) {
  const std::optional<std::string> date = inv.Option("as-of");
  if (!date.has_value()) {
    return UsageError(absl::StrFormat("thiếu --as-of=YYYY-MM-DD; cú pháp: ntmctl %s", synopsis));
  }
  if (absl::Status status = CheckDate(*date); !status.ok()) {
    return status;
  }
  return *date;
}

absl::StatusOr<v1::Assessment> FetchAssessment(Session& session, const std::string& name) {
  v1::GetAssessmentRequest request;
  request.set_name(name);
  v1::GetAssessmentResponse response;
  absl::Status status = session.Call([&](grpc::ClientContext* context) {
    return session.assessments().GetAssessment(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  return std::move(*response.mutable_assessment());
}

absl::StatusOr<std::string> ReadInput(const Io& io, const std::string& path) {
  if (path == "-") {
    if (io.in == nullptr) {
      return LocalError("không có đầu vào chuẩn để đọc");
    }
    return std::string(std::istreambuf_iterator<char>(*io.in), std::istreambuf_iterator<char>());
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return LocalError(absl::StrFormat("không mở được tệp %s", path));
  }
  std::string content((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) {
    return LocalError(absl::StrFormat("không đọc được tệp %s", path));
  }
  return content;
}

// --- criteria-set --------------------------------------------------------------------------------

absl::Status CriteriaSetList(const Invocation& inv) {
  if (absl::Status s = ExpectArgs(inv.args, 2, 0, 0, "criteria-set list"); !s.ok()) {
    return s;
  }
  v1::ListCriteriaSetsResponse all;
  v1::ListCriteriaSetsRequest request;
  request.set_view(v1::CRITERIA_SET_VIEW_BASIC);
  absl::Status status = CollectPages<v1::ListCriteriaSetsResponse>(
      inv, request,
      [&](grpc::ClientContext* context, const v1::ListCriteriaSetsRequest& r,
          v1::ListCriteriaSetsResponse* response) {
        return inv.session.catalog().ListCriteriaSets(context, r, response);
      },
      [&](v1::ListCriteriaSetsResponse& response) {
        for (v1::CriteriaSet& set : *response.mutable_criteria_sets()) {
          *all.add_criteria_sets() = std::move(set);
        }
      });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(all, inv.out());
  }
  inv.out() << RenderCriteriaSets(
      std::vector<v1::CriteriaSet>(all.criteria_sets().begin(), all.criteria_sets().end()));
  return absl::OkStatus();
}

absl::Status CriteriaSetShow(const Invocation& inv) {
  if (absl::Status s = ExpectArgs(inv.args, 2, 0, 1, "criteria-set show [TÊN]"); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> name = CriteriaSetName(
      inv.args.positionals.size() > 2 ? inv.args.positionals[2] : kDefaultCriteriaSet);
  if (!name.ok()) {
    return name.status();
  }
  v1::GetCriteriaSetRequest request;
  request.set_name(*name);
  request.set_view(v1::CRITERIA_SET_VIEW_FULL);
  v1::GetCriteriaSetResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.catalog().GetCriteriaSet(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << RenderCriteriaSet(response.criteria_set());
  return absl::OkStatus();
}

absl::Status CriteriaSetCommand(const Invocation& inv) {
  if (absl::Status s = CheckCommandOptions(inv.args, "criteria-set", {}); !s.ok()) {
    return s;
  }
  const std::string sub = inv.args.positionals.size() > 1 ? inv.args.positionals[1] : "";
  if (sub == "list") {
    return CriteriaSetList(inv);
  }
  if (sub == "show") {
    return CriteriaSetShow(inv);
  }
  return UsageError(absl::StrFormat(
      "%s; cú pháp: ntmctl criteria-set list | ntmctl criteria-set show [TÊN]",
      sub.empty() ? "thiếu lệnh con" : absl::StrFormat("lệnh con không rõ \"%s\"", sub)));
}

// --- units ---------------------------------------------------------------------------------------

absl::StatusOr<v1::UnitLevel> ParseLevel(const std::string& text) {
  const std::string key = FoldVi(text);
  if (key == "commune" || key == "xa") {
    return v1::UNIT_LEVEL_COMMUNE;
  }
  if (key == "village" || key == "ban" || key == "thon") {
    return v1::UNIT_LEVEL_VILLAGE;
  }
  if (key == "district" || key == "huyen") {
    return v1::UNIT_LEVEL_DISTRICT;
  }
  if (key == "province" || key == "tinh") {
    return v1::UNIT_LEVEL_PROVINCE;
  }
  return UsageError(absl::StrFormat(
      "--level không hợp lệ: \"%s\" (dùng commune, village, district hoặc province)", text));
}

absl::Status Units(const Invocation& inv) {
  constexpr char kSynopsis[] = "units MÃ_ĐƠN_VỊ_CHA [--level=commune|village|district]";
  if (absl::Status s = CheckCommandOptions(inv.args, "units", {"level"}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 1, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> parent = UnitName(inv.args.positionals[1]);
  if (!parent.ok()) {
    return parent.status();
  }
  v1::ListUnitsRequest request;
  request.set_parent(*parent);
  request.set_page_size(1000);
  if (const std::optional<std::string> level = inv.Option("level"); level.has_value()) {
    absl::StatusOr<v1::UnitLevel> parsed = ParseLevel(*level);
    if (!parsed.ok()) {
      return parsed.status();
    }
    request.set_level(*parsed);
  }
  v1::ListUnitsResponse all;
  absl::Status status = CollectPages<v1::ListUnitsResponse>(
      inv, request,
      [&](grpc::ClientContext* context, const v1::ListUnitsRequest& r,
          v1::ListUnitsResponse* response) {
        return inv.session.directory().ListUnits(context, r, response);
      },
      [&](v1::ListUnitsResponse& response) {
        for (v1::Unit& unit : *response.mutable_units()) {
          *all.add_units() = std::move(unit);
        }
      });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(all, inv.out());
  }
  inv.out() << RenderUnits(std::vector<v1::Unit>(all.units().begin(), all.units().end()));
  return absl::OkStatus();
}

// --- create --------------------------------------------------------------------------------------

absl::Status Create(const Invocation& inv) {
  constexpr char kSynopsis[] = "create MÃ_XÃ --as-of=YYYY-MM-DD [--criteria-set=TÊN]";
  if (absl::Status s = CheckCommandOptions(inv.args, "create", {"as-of", "criteria-set"});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 1, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> commune = UnitName(inv.args.positionals[1]);
  if (!commune.ok()) {
    return commune.status();
  }
  absl::StatusOr<std::string> date = RequiredDate(inv, kSynopsis);
  if (!date.ok()) {
    return date.status();
  }
  v1::CreateAssessmentRequest request;
  request.set_parent(*commune);
  request.set_as_of_date(*date);
  if (const std::optional<std::string> set = inv.Option("criteria-set"); set.has_value()) {
    absl::StatusOr<std::string> name = CriteriaSetName(*set);
    if (!name.ok()) {
      return name.status();
    }
    request.set_criteria_set(*name);
  }
  // The same person creating the same assessment again (e.g. after a timeout) gets it back.
  request.set_request_id(RequestId("create",
                                   absl::StrCat(*commune, "@", *date, "@", request.criteria_set()),
                                   inv.session.options().principal));
  v1::CreateAssessmentResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.assessments().CreateAssessment(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << "Đã tạo bản đánh giá.\n" << RenderAssessmentBrief(response.assessment());
  return absl::OkStatus();
}

// --- status --------------------------------------------------------------------------------------

absl::Status StatusCommand(const Invocation& inv) {
  constexpr char kSynopsis[] = "status MÃ_XÃ [--as-of=YYYY-MM-DD]";
  if (absl::Status s = CheckCommandOptions(inv.args, "status", {"as-of"}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 1, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> commune = UnitName(inv.args.positionals[1]);
  if (!commune.ok()) {
    return commune.status();
  }
  v1::GetCommuneStatusRequest request;
  request.set_unit(*commune);
  if (const std::optional<std::string> date = inv.Option("as-of"); date.has_value()) {
    if (absl::Status s = CheckDate(*date); !s.ok()) {
      return s;
    }
    request.set_as_of_date(*date);
  }
  v1::GetCommuneStatusResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.assessments().GetCommuneStatus(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << RenderCommuneStatus(response.status());
  return absl::OkStatus();
}

// --- values set ----------------------------------------------------------------------------------

absl::Status ValuesSet(const Invocation& inv) {
  constexpr char kSynopsis[] = "values set TÊN_BẢN_ĐÁNH_GIÁ TỆP.csv";
  if (absl::Status s = CheckCommandOptions(inv.args, "values set", {}); !s.ok()) {
    return s;
  }
  if (inv.args.positionals.size() < 2 || inv.args.positionals[1] != "set") {
    return UsageError(
        absl::StrFormat("%s; cú pháp: ntmctl %s",
                        inv.args.positionals.size() < 2
                            ? std::string("thiếu lệnh con")
                            : absl::StrFormat("lệnh con không rõ \"%s\"", inv.args.positionals[1]),
                        kSynopsis));
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 2, 2, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> name = AssessmentName(inv.args.positionals[2]);
  if (!name.ok()) {
    return name.status();
  }
  const std::string& path = inv.args.positionals[3];
  absl::StatusOr<std::string> content = ReadInput(inv.io, path);
  if (!content.ok()) {
    return content.status();
  }
  const auto file_error = [&](const absl::Status& status) {
    return LocalError(
        absl::StrFormat("tệp %s có lỗi, chưa gửi giá trị nào:\n%s", path, status.message()));
  };
  // The file's own problems are reported before anything is asked of the service.
  absl::StatusOr<std::vector<ValueRow>> rows = ReadValuesCsv(*content);
  if (!rows.ok()) {
    return file_error(rows.status());
  }

  absl::StatusOr<v1::Assessment> assessment = FetchAssessment(inv.session, *name);
  if (!assessment.ok()) {
    return assessment.status();
  }
  v1::GetCriteriaSetRequest set_request;
  set_request.set_name(assessment->criteria_set());
  set_request.set_view(v1::CRITERIA_SET_VIEW_FULL);
  v1::GetCriteriaSetResponse set_response;
  if (absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
        return inv.session.catalog().GetCriteriaSet(context, set_request, &set_response);
      });
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::vector<v1::IndicatorValue>> values =
      ConvertValueRows(*rows, set_response.criteria_set());
  if (!values.ok()) {
    return file_error(values.status());
  }

  // A re-run after a call whose outcome was unknown (a timeout) finds its values already there.
  if (AllValuesStored(*values, *assessment)) {
    if (inv.json()) {
      v1::SetIndicatorValuesResponse unchanged;
      *unchanged.mutable_assessment() = *std::move(assessment);
      return PrintJson(unchanged, inv.out());
    }
    inv.out() << absl::StrFormat(
        "Cả %d giá trị trong tệp đã có sẵn trong %s; không cần gửi lại.\netag: %s\n",
        values->size(), *name, assessment->etag());
    return absl::OkStatus();
  }

  v1::SetIndicatorValuesRequest request;
  request.set_name(*name);
  request.set_etag(assessment->etag());
  // From the file content and the assessment name only (AIP-155): a re-run of the same file sends
  // the same id, so the service never applies it twice.
  request.set_request_id(RequestId("values", *name, *content));
  for (v1::IndicatorValue& value : *values) {
    *request.add_values() = std::move(value);
  }
  v1::SetIndicatorValuesResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.assessments().SetIndicatorValues(context, request, &response);
  });
  if (!status.ok()) {
    if (absl::IsDeadlineExceeded(status) || absl::IsUnavailable(status)) {
      return absl::Status(
          status.code(),
          absl::StrCat(
              status.message(),
              "\nCó thể giá trị đã được lưu. Chạy lại đúng lệnh này là an toàn: giá trị đã "
              "có thì không gửi lại, chưa có thì chỉ được lưu một lần (request_id ",
              request.request_id(), ")."));
    }
    if (absl::IsAlreadyExists(status)) {
      return absl::Status(status.code(),
                          absl::StrCat(status.message(), "\nTệp này đã được gửi cho bản đánh giá ",
                                       *name, " trước đó (request_id ", request.request_id(),
                                       ") và các giá trị đã thay đổi sau lần gửi đó; không ghi "
                                       "đè. Muốn ghi đè, hãy kiểm tra lại rồi sửa tệp trước khi "
                                       "gửi."));
    }
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << absl::StrFormat(
      "Đã lưu %d giá trị vào %s (bản đánh giá hiện có %d giá trị).\netag mới: %s\nrequest_id: %s\n",
      request.values_size(), *name, response.assessment().values_size(),
      response.assessment().etag(), request.request_id());
  return absl::OkStatus();
}

// --- submit --------------------------------------------------------------------------------------

absl::Status Submit(const Invocation& inv) {
  constexpr char kSynopsis[] = "submit TÊN_BẢN_ĐÁNH_GIÁ";
  if (absl::Status s = CheckCommandOptions(inv.args, "submit", {}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 1, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> name = AssessmentName(inv.args.positionals[1]);
  if (!name.ok()) {
    return name.status();
  }
  absl::StatusOr<v1::Assessment> assessment = FetchAssessment(inv.session, *name);
  if (!assessment.ok()) {
    return assessment.status();
  }
  v1::SubmitAssessmentRequest request;
  request.set_name(*name);
  request.set_etag(assessment->etag());
  v1::SubmitAssessmentResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.assessments().SubmitAssessment(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << "Đã gửi bản đánh giá lên huyện.\n" << RenderAssessmentBrief(response.assessment());
  return absl::OkStatus();
}

// --- review --------------------------------------------------------------------------------------

absl::Status Review(const Invocation& inv) {
  constexpr char kSynopsis[] =
      "--agency=agencies/ID review TÊN_BẢN_ĐÁNH_GIÁ TIÊU_CHÍ confirm|dispute [--reason=LÝ_DO]";
  if (absl::Status s = CheckCommandOptions(inv.args, "review", {"reason"}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 1, 3, 3, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> name = AssessmentName(inv.args.positionals[1]);
  if (!name.ok()) {
    return name.status();
  }
  const std::string& criterion = inv.args.positionals[2];
  if (criterion.empty() || criterion.find_first_of(" /") != std::string::npos) {
    return UsageError(absl::StrFormat("mã tiêu chí không hợp lệ: \"%s\" (ví dụ 15)", criterion));
  }
  const std::string& verdict_text = inv.args.positionals[3];
  v1::ReviewVerdict verdict = v1::REVIEW_VERDICT_UNSPECIFIED;
  if (verdict_text == "confirm") {
    verdict = v1::REVIEW_VERDICT_CONFIRMED;
  } else if (verdict_text == "dispute") {
    verdict = v1::REVIEW_VERDICT_DISPUTED;
  } else {
    return UsageError(absl::StrFormat(
        "ý kiến không rõ \"%s\": dùng confirm (xác nhận) hoặc dispute (có ý kiến khác)",
        verdict_text));
  }
  const std::string reason = std::string(TrimSpace(inv.Option("reason").value_or("")));
  if (verdict == v1::REVIEW_VERDICT_DISPUTED && reason.empty()) {
    return UsageError("dispute cần lý do: --reason=\"...\"");
  }
  // Through the gateway the token says which agency reviews; calling a service directly, the
  // agency must be named.
  if (inv.session.options().agency.empty() && inv.session.options().token.empty()) {
    return UsageError(
        "lệnh review cần mã truy cập của cơ quan thẩm định (--token/--token-file), hoặc "
        "--agency=agencies/ID khi gọi thẳng dịch vụ");
  }
  absl::StatusOr<v1::Assessment> assessment = FetchAssessment(inv.session, *name);
  if (!assessment.ok()) {
    return assessment.status();
  }
  v1::ReviewCriterionRequest request;
  request.set_name(*name);
  request.set_criterion_code(criterion);
  request.set_verdict(verdict);
  request.set_reason(reason);
  request.set_etag(assessment->etag());
  v1::ReviewCriterionResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.assessments().ReviewCriterion(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << absl::StrFormat(
      "Đã ghi ý kiến thẩm định của %s về tiêu chí %s: %s%s\n", inv.session.options().agency,
      criterion, verdict == v1::REVIEW_VERDICT_CONFIRMED ? "Xác nhận" : "Có ý kiến khác",
      reason.empty() ? "" : absl::StrCat(" (lý do: ", reason, ")"));
  inv.out() << RenderAssessmentBrief(response.assessment());
  return absl::OkStatus();
}

// --- matrix --------------------------------------------------------------------------------------

absl::Status Matrix(const Invocation& inv) {
  constexpr char kSynopsis[] = "matrix MÃ_ĐƠN_VỊ --as-of=YYYY-MM-DD";
  if (absl::Status s = CheckCommandOptions(inv.args, "matrix", {"as-of"}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 1, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> unit = UnitName(inv.args.positionals[1]);
  if (!unit.ok()) {
    return unit.status();
  }
  absl::StatusOr<std::string> date = RequiredDate(inv, kSynopsis);
  if (!date.ok()) {
    return date.status();
  }
  v1::GetDistrictMatrixRequest request;
  request.set_unit(*unit);
  request.set_as_of_date(*date);
  v1::GetDistrictMatrixResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.assessments().GetDistrictMatrix(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << RenderMatrix(response);
  return absl::OkStatus();
}

// --- threshold -----------------------------------------------------------------------------------

// Sets or clears one year's threshold of an indicator (the province office), citing its source.
absl::Status ThresholdSet(const Invocation& inv) {
  constexpr char kSynopsis[] =
      "threshold set MÃ_CHỈ_TIÊU (--value=SỐ | --clear) --source=\"CĂN CỨ\" [--year=NĂM] "
      "[--status=official|unverified] [--criteria-set=TÊN]";
  if (absl::Status s = CheckCommandOptions(
          inv.args, "threshold", {"value", "clear", "source", "year", "status", "criteria-set"});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  if (inv.args.positionals[1] != "set") {
    return UsageError(absl::StrFormat("lệnh con không rõ \"%s\"; cú pháp: ntmctl %s",
                                      inv.args.positionals[1], kSynopsis));
  }
  const std::string code = inv.args.positionals[2];
  const std::optional<std::string> value_text = inv.Option("value");
  const bool clear = inv.Option("clear").has_value();
  if (value_text.has_value() == clear) {
    return UsageError(
        absl::StrCat("cần đúng một trong --value=SỐ hoặc --clear; cú pháp: ntmctl ", kSynopsis));
  }
  const std::string source = inv.Option("source").value_or("");
  if (source.empty()) {
    return UsageError(
        "cần --source: căn cứ pháp lý của ngưỡng, ví dụ --source=\"Quyết định 1285/QĐ-UBND\"");
  }
  int year = 0;
  if (auto y = inv.Option("year"); y.has_value() && !absl::SimpleAtoi(*y, &year)) {
    return UsageError(absl::StrFormat("--year=%s không phải là năm", *y));
  }
  v1::ThresholdStatus status = v1::THRESHOLD_STATUS_OFFICIAL;
  if (auto st = inv.Option("status"); st.has_value()) {
    if (*st == "official") {
      status = v1::THRESHOLD_STATUS_OFFICIAL;
    } else if (*st == "unverified") {
      status = v1::THRESHOLD_STATUS_UNVERIFIED;
    } else {
      return UsageError(absl::StrFormat("--status=%s: dùng official hoặc unverified", *st));
    }
  }
  absl::StatusOr<std::string> set_name =
      CriteriaSetName(inv.Option("criteria-set").value_or(kDefaultCriteriaSet));
  if (!set_name.ok()) {
    return set_name.status();
  }
  v1::GetCriteriaSetRequest get;
  get.set_name(*set_name);
  get.set_view(v1::CRITERIA_SET_VIEW_FULL);
  v1::GetCriteriaSetResponse set;
  absl::Status called = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.catalog().GetCriteriaSet(context, get, &set);
  });
  if (!called.ok()) {
    return called;
  }
  const v1::Indicator* indicator = nullptr;
  for (const auto& c : set.criteria_set().criteria()) {
    for (const auto& i : c.indicators()) {
      if (i.code() == code) {
        indicator = &i;
      }
    }
  }
  if (indicator == nullptr) {
    return LocalError(absl::StrFormat("%s không có chỉ tiêu %s", *set_name, code));
  }
  v1::UpdateIndicatorRequest request;
  request.mutable_indicator()->set_name(indicator->name());
  request.mutable_indicator()->set_etag(indicator->etag());
  v1::Threshold* t = request.mutable_indicator()->add_thresholds();
  t->set_year(year);
  if (value_text.has_value()) {
    absl::StatusOr<double> value = ParseDecimal(*value_text);
    if (!value.ok()) {
      return UsageError(absl::StrFormat("--value=%s không phải là số", *value_text));
    }
    t->set_value(*value);
    t->set_status(status);
  }
  request.mutable_update_mask()->add_paths("thresholds");
  request.set_source(source);
  v1::UpdateIndicatorResponse response;
  called = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.catalog().UpdateIndicator(context, request, &response);
  });
  if (!called.ok()) {
    return called;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << absl::StrFormat(
      "Đã %s ngưỡng của chỉ tiêu %s (%s) theo %s.\netag mới: %s\n", clear ? "xóa" : "đặt", code,
      year == 0 ? "mọi năm" : absl::StrCat("năm ", year), source, response.indicator().etag());
  return absl::OkStatus();
}

// --- directive -----------------------------------------------------------------------------------

absl::Status DirectiveShow(const Invocation& inv) {
  constexpr char kSynopsis[] = "directive show VĂN_BẢN";
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> name = DirectiveName(inv.args.positionals[2]);
  if (!name.ok()) {
    return name.status();
  }
  pv1::GetDirectiveRequest request;
  request.set_name(*name);
  pv1::GetDirectiveResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.directives().GetDirective(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << RenderDirective(response.directive());
  return absl::OkStatus();
}

absl::Status DirectiveCommand(const Invocation& inv) {
  if (absl::Status s = CheckCommandOptions(inv.args, "directive", {}); !s.ok()) {
    return s;
  }
  const std::string sub = inv.args.positionals.size() > 1 ? inv.args.positionals[1] : "";
  if (sub == "show") {
    return DirectiveShow(inv);
  }
  return UsageError(absl::StrFormat(
      "%s; cú pháp: ntmctl directive show VĂN_BẢN",
      sub.empty() ? "thiếu lệnh con" : absl::StrFormat("lệnh con không rõ \"%s\"", sub)));
}

// --- plan ----------------------------------------------------------------------------------------

// The value of --etag, as EtagArg reads it; "" when not given (the service then checks nothing).
absl::StatusOr<std::string> OptionalEtag(const Invocation& inv) {
  const std::optional<std::string> etag = inv.Option("etag");
  if (!etag.has_value()) {
    return std::string();
  }
  return EtagArg(*etag);
}

// The plan a plan command names by its single argument.
absl::StatusOr<std::string> PlanArg(const Invocation& inv, absl::string_view synopsis) {
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 1, synopsis); !s.ok()) {
    return s;
  }
  return PlanName(inv.args.positionals[2]);
}

// Prints the response of a call that returns a plan: as JSON, or `heading` (when not empty) and
// the plan in the template's sections.
absl::Status PrintPlan(const Invocation& inv, const google::protobuf::Message& response,
                       const pv1::Plan& plan, absl::string_view heading) {
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  if (!heading.empty()) {
    inv.out() << heading << "\n\n";
  }
  inv.out() << RenderPlan(plan);
  return absl::OkStatus();
}

absl::Status PlanCreate(const Invocation& inv) {
  constexpr char kSynopsis[] = "plan create MÃ_XÃ VĂN_BẢN";
  if (absl::Status s = CheckCommandOptions(inv.args, "plan create", {}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 2, 2, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> commune = UnitName(inv.args.positionals[2]);
  if (!commune.ok()) {
    return commune.status();
  }
  absl::StatusOr<std::string> directive = DirectiveName(inv.args.positionals[3]);
  if (!directive.ok()) {
    return directive.status();
  }
  pv1::CreatePlanRequest request;
  request.set_parent(*commune);
  request.set_directive(*directive);
  pv1::CreatePlanResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.plans().CreatePlan(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  return PrintPlan(inv, response, response.plan(),
                   "Đã tạo kế hoạch (dự thảo), điền sẵn từ bản đánh giá đã gửi gần nhất của xã.");
}

absl::Status PlanShow(const Invocation& inv) {
  constexpr char kSynopsis[] = "plan show TÊN_KẾ_HOẠCH | ntmctl plan show MÃ_XÃ MÃ_VĂN_BẢN";
  if (absl::Status s = CheckCommandOptions(inv.args, "plan show", {}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 2, kSynopsis); !s.ok()) {
    return s;
  }
  const std::vector<std::string>& words = inv.args.positionals;
  absl::StatusOr<std::string> name =
      words.size() == 3 ? PlanName(words[2]) : PlanNameFor(words[2], words[3]);
  if (!name.ok()) {
    return name.status();
  }
  pv1::GetPlanRequest request;
  request.set_name(*name);
  pv1::GetPlanResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.plans().GetPlan(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  return PrintPlan(inv, response, response.plan(), "");
}

absl::Status PlanEditCommand(const Invocation& inv) {
  constexpr char kSynopsis[] = "plan edit TÊN_KẾ_HOẠCH TỆP.json [--etag=ETAG]";
  if (absl::Status s = CheckCommandOptions(inv.args, "plan edit", {"etag"}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 2, 2, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> name = PlanName(inv.args.positionals[2]);
  if (!name.ok()) {
    return name.status();
  }
  absl::StatusOr<std::string> etag = OptionalEtag(inv);
  if (!etag.ok()) {
    return etag.status();
  }
  const std::string& path = inv.args.positionals[3];
  absl::StatusOr<std::string> content = ReadInput(inv.io, path);
  if (!content.ok()) {
    return content.status();
  }
  // The file's own problems are reported before anything is asked of the service.
  absl::StatusOr<PlanEdit> edit = ReadPlanEdit(*content, *name);
  if (!edit.ok()) {
    return LocalError(
        absl::StrFormat("tệp %s có lỗi, chưa gửi gì:\n%s", path, edit.status().message()));
  }
  pv1::UpdatePlanRequest request;
  *request.mutable_plan() = std::move(edit->plan);
  for (const std::string& section : edit->sections) {
    request.mutable_update_mask()->add_paths(section);
  }
  request.set_etag(*etag);
  pv1::UpdatePlanResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.plans().UpdatePlan(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  std::vector<std::string> sections;
  for (const std::string& section : edit->sections) {
    sections.push_back(PlanSectionLabel(section));
  }
  return PrintPlan(inv, response, response.plan(),
                   absl::StrCat("Đã sửa các phần: ", absl::StrJoin(sections, "; "), "."));
}

absl::Status PlanSubmit(const Invocation& inv) {
  constexpr char kSynopsis[] = "plan submit TÊN_KẾ_HOẠCH [--etag=ETAG]";
  if (absl::Status s = CheckCommandOptions(inv.args, "plan submit", {"etag"}); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> name = PlanArg(inv, kSynopsis);
  if (!name.ok()) {
    return name.status();
  }
  absl::StatusOr<std::string> etag = OptionalEtag(inv);
  if (!etag.ok()) {
    return etag.status();
  }
  pv1::SubmitPlanRequest request;
  request.set_name(*name);
  request.set_etag(*etag);
  pv1::SubmitPlanResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.plans().SubmitPlan(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << "Đã gửi kế hoạch lên huyện.\n" << RenderPlanBrief(response.plan());
  return absl::OkStatus();
}

absl::Status PlanAccept(const Invocation& inv) {
  constexpr char kSynopsis[] = "plan accept TÊN_KẾ_HOẠCH [--note=GHI_CHÚ] [--etag=ETAG]";
  if (absl::Status s = CheckCommandOptions(inv.args, "plan accept", {"note", "etag"}); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> name = PlanArg(inv, kSynopsis);
  if (!name.ok()) {
    return name.status();
  }
  absl::StatusOr<std::string> etag = OptionalEtag(inv);
  if (!etag.ok()) {
    return etag.status();
  }
  pv1::AcceptPlanRequest request;
  request.set_name(*name);
  request.set_note(std::string(TrimSpace(inv.Option("note").value_or(""))));
  request.set_etag(*etag);
  pv1::AcceptPlanResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.plans().AcceptPlan(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << "Đã chấp nhận kế hoạch.\n" << RenderPlanBrief(response.plan());
  return absl::OkStatus();
}

absl::Status PlanReturn(const Invocation& inv) {
  constexpr char kSynopsis[] =
      "plan return TÊN_KẾ_HOẠCH --reason=LÝ_DO [--reason=LÝ_DO ...] [--etag=ETAG]";
  if (absl::Status s = CheckCommandOptions(inv.args, "plan return", {"reason", "etag"}, {"reason"});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> name = PlanArg(inv, kSynopsis);
  if (!name.ok()) {
    return name.status();
  }
  absl::StatusOr<std::string> etag = OptionalEtag(inv);
  if (!etag.ok()) {
    return etag.status();
  }
  pv1::ReturnPlanRequest request;
  request.set_name(*name);
  request.set_etag(*etag);
  for (const std::string& reason : inv.args.AllValues("reason")) {
    const absl::string_view trimmed = TrimSpace(reason);
    if (trimmed.empty()) {
      return UsageError("--reason không được để trống");
    }
    request.add_reasons(std::string(trimmed));
  }
  if (request.reasons().empty()) {
    return UsageError(absl::StrFormat(
        "cần ít nhất một lý do trả lại: --reason=\"...\", mỗi lý do một lần; cú pháp: ntmctl %s",
        kSynopsis));
  }
  pv1::ReturnPlanResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.plans().ReturnPlan(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << "Đã trả lại kế hoạch cho xã.\n" << RenderPlanBrief(response.plan()) << "Lý do:\n";
  for (const std::string& reason : request.reasons()) {
    inv.out() << "  - " << reason << "\n";
  }
  return absl::OkStatus();
}

absl::Status PlanStatus(const Invocation& inv) {
  constexpr char kSynopsis[] = "plan status VĂN_BẢN";
  if (absl::Status s = CheckCommandOptions(inv.args, "plan status", {}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> directive = DirectiveName(inv.args.positionals[2]);
  if (!directive.ok()) {
    return directive.status();
  }
  pv1::GetSubmissionStatusRequest request;
  request.set_directive(*directive);
  pv1::GetSubmissionStatusResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.plans().GetSubmissionStatus(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << RenderSubmissionStatus(response);
  return absl::OkStatus();
}

absl::Status PlanSummary(const Invocation& inv) {
  constexpr char kSynopsis[] = "plan summary VĂN_BẢN [--agency=agencies/ID] [--drafts]";
  if (absl::Status s = CheckCommandOptions(inv.args, "plan summary", {"drafts"}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> directive = DirectiveName(inv.args.positionals[2]);
  if (!directive.ok()) {
    return directive.status();
  }
  pv1::GetDistrictPlanSummaryRequest request;
  request.set_directive(*directive);
  request.set_include_drafts(inv.Option("drafts").has_value());
  // --agency is the global option: besides limiting the summary to that agency's indicators it is
  // sent as x-ntm-agency, which the gateway replaces with the caller's own agency.
  request.set_agency(inv.session.options().agency);
  pv1::GetDistrictPlanSummaryResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.plans().GetDistrictPlanSummary(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << RenderDistrictPlanSummary(response, request.include_drafts());
  return absl::OkStatus();
}

absl::Status PlanCommand(const Invocation& inv) {
  const std::string sub = inv.args.positionals.size() > 1 ? inv.args.positionals[1] : "";
  if (sub == "create") {
    return PlanCreate(inv);
  }
  if (sub == "show") {
    return PlanShow(inv);
  }
  if (sub == "edit") {
    return PlanEditCommand(inv);
  }
  if (sub == "submit") {
    return PlanSubmit(inv);
  }
  if (sub == "accept") {
    return PlanAccept(inv);
  }
  if (sub == "return") {
    return PlanReturn(inv);
  }
  if (sub == "status") {
    return PlanStatus(inv);
  }
  if (sub == "summary") {
    return PlanSummary(inv);
  }
  return UsageError(absl::StrFormat(
      "%s; lệnh con của plan: create, show, edit, submit, accept, return, status, summary",
      sub.empty() ? "thiếu lệnh con" : absl::StrFormat("lệnh con không rõ \"%s\"", sub)));
}

// --- registration --------------------------------------------------------------------------------

// The registration a registration command names by its single argument.
absl::StatusOr<std::string> RegistrationArg(const Invocation& inv, absl::string_view synopsis) {
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 1, synopsis); !s.ok()) {
    return s;
  }
  return RegistrationName(inv.args.positionals[2]);
}

// Prints the response of a call that returns a registration: as JSON, or `heading` (when not
// empty) and the registration in full (`full`) or briefly.
absl::Status PrintRegistration(const Invocation& inv, const google::protobuf::Message& response,
                               const rv1::Registration& registration, absl::string_view heading,
                               bool full) {
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  if (!heading.empty()) {
    inv.out() << heading << (full ? "\n\n" : "\n");
  }
  inv.out() << (full ? RenderRegistration(registration) : RenderRegistrationBrief(registration));
  return absl::OkStatus();
}

absl::Status RegistrationCreate(const Invocation& inv) {
  constexpr char kSynopsis[] = "registration create MÃ_XÃ VĂN_BẢN";
  if (absl::Status s = CheckCommandOptions(inv.args, "registration create", {}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 2, 2, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> commune = UnitName(inv.args.positionals[2]);
  if (!commune.ok()) {
    return commune.status();
  }
  absl::StatusOr<std::string> directive = DirectiveName(inv.args.positionals[3]);
  if (!directive.ok()) {
    return directive.status();
  }
  rv1::CreateRegistrationRequest request;
  request.set_parent(*commune);
  request.set_directive(*directive);
  rv1::CreateRegistrationResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.registrations().CreateRegistration(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  return PrintRegistration(inv, response, response.registration(),
                           "Đã tạo bản đăng ký (dự thảo) với các bản của xã theo danh mục.", true);
}

absl::Status RegistrationShow(const Invocation& inv) {
  constexpr char kSynopsis[] =
      "registration show TÊN_BẢN_ĐĂNG_KÝ | ntmctl registration show MÃ_XÃ MÃ_VĂN_BẢN";
  if (absl::Status s = CheckCommandOptions(inv.args, "registration show", {}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 2, kSynopsis); !s.ok()) {
    return s;
  }
  const std::vector<std::string>& words = inv.args.positionals;
  absl::StatusOr<std::string> name =
      words.size() == 3 ? RegistrationName(words[2]) : RegistrationNameFor(words[2], words[3]);
  if (!name.ok()) {
    return name.status();
  }
  rv1::GetRegistrationRequest request;
  request.set_name(*name);
  rv1::GetRegistrationResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.registrations().GetRegistration(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  return PrintRegistration(inv, response, response.registration(), "", true);
}

absl::Status RegistrationEditCommand(const Invocation& inv) {
  constexpr char kSynopsis[] = "registration edit TÊN_BẢN_ĐĂNG_KÝ TỆP.json [--etag=ETAG]";
  if (absl::Status s = CheckCommandOptions(inv.args, "registration edit", {"etag"}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 2, 2, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> name = RegistrationName(inv.args.positionals[2]);
  if (!name.ok()) {
    return name.status();
  }
  absl::StatusOr<std::string> etag = OptionalEtag(inv);
  if (!etag.ok()) {
    return etag.status();
  }
  const std::string& path = inv.args.positionals[3];
  absl::StatusOr<std::string> content = ReadInput(inv.io, path);
  if (!content.ok()) {
    return content.status();
  }
  // The file's own problems are reported before anything is asked of the service.
  absl::StatusOr<RegistrationEdit> edit = ReadRegistrationEdit(*content, *name);
  if (!edit.ok()) {
    return LocalError(
        absl::StrFormat("tệp %s có lỗi, chưa gửi gì:\n%s", path, edit.status().message()));
  }
  rv1::UpdateRegistrationRequest request;
  *request.mutable_registration() = std::move(edit->registration);
  for (const std::string& section : edit->sections) {
    request.mutable_update_mask()->add_paths(section);
  }
  request.set_etag(*etag);
  rv1::UpdateRegistrationResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.registrations().UpdateRegistration(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  return PrintRegistration(inv, response, response.registration(),
                           absl::StrCat("Đã thay: ", absl::StrJoin(edit->sections, ", "), "."),
                           false);
}

// submit, accept, return: one transition of the registration named by the only argument.
absl::Status RegistrationSubmit(const Invocation& inv) {
  constexpr char kSynopsis[] = "registration submit TÊN_BẢN_ĐĂNG_KÝ [--etag=ETAG]";
  if (absl::Status s = CheckCommandOptions(inv.args, "registration submit", {"etag"}); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> name = RegistrationArg(inv, kSynopsis);
  if (!name.ok()) {
    return name.status();
  }
  absl::StatusOr<std::string> etag = OptionalEtag(inv);
  if (!etag.ok()) {
    return etag.status();
  }
  rv1::SubmitRegistrationRequest request;
  request.set_name(*name);
  request.set_etag(*etag);
  rv1::SubmitRegistrationResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.registrations().SubmitRegistration(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  return PrintRegistration(inv, response, response.registration(), "Đã gửi bản đăng ký lên huyện.",
                           false);
}

absl::Status RegistrationAccept(const Invocation& inv) {
  constexpr char kSynopsis[] = "registration accept TÊN_BẢN_ĐĂNG_KÝ [--note=GHI_CHÚ] [--etag=ETAG]";
  if (absl::Status s = CheckCommandOptions(inv.args, "registration accept", {"note", "etag"});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> name = RegistrationArg(inv, kSynopsis);
  if (!name.ok()) {
    return name.status();
  }
  absl::StatusOr<std::string> etag = OptionalEtag(inv);
  if (!etag.ok()) {
    return etag.status();
  }
  rv1::AcceptRegistrationRequest request;
  request.set_name(*name);
  request.set_note(inv.Option("note").value_or(""));
  request.set_etag(*etag);
  rv1::AcceptRegistrationResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.registrations().AcceptRegistration(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  return PrintRegistration(inv, response, response.registration(), "Đã chấp nhận bản đăng ký.",
                           false);
}

absl::Status RegistrationReturn(const Invocation& inv) {
  constexpr char kSynopsis[] =
      "registration return TÊN_BẢN_ĐĂNG_KÝ --reason=LÝ_DO [--reason=LÝ_DO ...] [--etag=ETAG]";
  if (absl::Status s =
          CheckCommandOptions(inv.args, "registration return", {"reason", "etag"}, {"reason"});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> name = RegistrationArg(inv, kSynopsis);
  if (!name.ok()) {
    return name.status();
  }
  absl::StatusOr<std::string> etag = OptionalEtag(inv);
  if (!etag.ok()) {
    return etag.status();
  }
  rv1::ReturnRegistrationRequest request;
  request.set_name(*name);
  for (const std::string& reason : inv.args.AllValues("reason")) {
    const absl::string_view trimmed = TrimSpace(reason);
    if (trimmed.empty()) {
      return UsageError("--reason không được để trống");
    }
    request.add_reasons(std::string(trimmed));
  }
  if (request.reasons().empty()) {
    return UsageError(absl::StrFormat(
        "cần ít nhất một lý do trả lại: --reason=\"...\", mỗi lý do một lần; cú pháp: ntmctl %s",
        kSynopsis));
  }
  request.set_etag(*etag);
  rv1::ReturnRegistrationResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.registrations().ReturnRegistration(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (absl::Status s = PrintRegistration(inv, response, response.registration(),
                                         "Đã trả lại bản đăng ký cho xã.", false);
      !s.ok() || inv.json()) {
    return s;
  }
  inv.out() << "Lý do:\n";
  for (const std::string& reason : request.reasons()) {
    inv.out() << "  - " << reason << "\n";
  }
  return absl::OkStatus();
}

absl::Status RegistrationStatusCommand(const Invocation& inv) {
  constexpr char kSynopsis[] = "registration status VĂN_BẢN";
  if (absl::Status s = CheckCommandOptions(inv.args, "registration status", {}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> directive = DirectiveName(inv.args.positionals[2]);
  if (!directive.ok()) {
    return directive.status();
  }
  rv1::GetRegistrationStatusRequest request;
  request.set_directive(*directive);
  return CallAndPrint<rv1::GetRegistrationStatusResponse>(
      inv,
      [&](grpc::ClientContext* context, rv1::GetRegistrationStatusResponse* response) {
        return inv.session.registrations().GetRegistrationStatus(context, request, response);
      },
      [&](const rv1::GetRegistrationStatusResponse& response) {
        return RenderRegistrationStatus(response);
      });
}

absl::Status RegistrationModelPoint(const Invocation& inv) {
  constexpr char kSynopsis[] = "registration model-point VĂN_BẢN";
  if (absl::Status s = CheckCommandOptions(inv.args, "registration model-point", {}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> directive = DirectiveName(inv.args.positionals[2]);
  if (!directive.ok()) {
    return directive.status();
  }
  rv1::GetDistrictModelPointRequest request;
  request.set_directive(*directive);
  return CallAndPrint<rv1::GetDistrictModelPointResponse>(
      inv,
      [&](grpc::ClientContext* context, rv1::GetDistrictModelPointResponse* response) {
        return inv.session.registrations().GetDistrictModelPoint(context, request, response);
      },
      [&](const rv1::GetDistrictModelPointResponse& response) {
        return RenderDistrictModelPoint(response.district_model_point());
      });
}

absl::Status RegistrationChoose(const Invocation& inv) {
  constexpr char kSynopsis[] =
      "registration choose VĂN_BẢN (--from=TÊN_BẢN_ĐĂNG_KÝ | --content=NỘI_DUNG [--place=ĐỊA_ĐIỂM] "
      "[--topic=CHỦ_ĐỀ] [--indicators=MÃ,MÃ]) [--reason=LÝ_DO]";
  if (absl::Status s =
          CheckCommandOptions(inv.args, "registration choose",
                              {"from", "content", "place", "topic", "indicators", "reason"});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> directive = DirectiveName(inv.args.positionals[2]);
  if (!directive.ok()) {
    return directive.status();
  }
  rv1::ChooseDistrictModelPointRequest request;
  request.set_directive(*directive);
  request.set_reason(inv.Option("reason").value_or(""));
  const std::optional<std::string> from = inv.Option("from");
  const std::optional<std::string> content = inv.Option("content");
  if (from.has_value() == content.has_value()) {
    return UsageError(absl::StrCat(
        "cần đúng một trong --from (mô hình của một xã) và --content (mô hình huyện tự chọn); "
        "cú pháp: ntmctl ",
        kSynopsis));
  }
  if (from.has_value()) {
    for (const char* own : {"place", "topic", "indicators"}) {
      if (inv.Option(own).has_value()) {
        return UsageError(
            absl::StrFormat("--%s chỉ dùng với --content; cú pháp: ntmctl %s", own, kSynopsis));
      }
    }
    absl::StatusOr<std::string> registration = RegistrationName(*from);
    if (!registration.ok()) {
      return registration.status();
    }
    request.set_registration(*registration);
  } else {
    rv1::ModelPoint& point = *request.mutable_model_point();
    point.set_content(*content);
    point.set_place(inv.Option("place").value_or(""));
    point.set_topic(inv.Option("topic").value_or(""));
    for (const absl::string_view code :
         absl::StrSplit(inv.Option("indicators").value_or(""), ',', absl::SkipWhitespace())) {
      point.add_indicator_codes(std::string(TrimSpace(code)));
    }
  }
  rv1::ChooseDistrictModelPointResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.registrations().ChooseDistrictModelPoint(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << "Đã chọn mô hình điểm của huyện.\n\n"
            << RenderDistrictModelPoint(response.district_model_point());
  return absl::OkStatus();
}

absl::Status RegistrationCommand(const Invocation& inv) {
  const std::string sub = inv.args.positionals.size() > 1 ? inv.args.positionals[1] : "";
  if (sub == "create") {
    return RegistrationCreate(inv);
  }
  if (sub == "show") {
    return RegistrationShow(inv);
  }
  if (sub == "edit") {
    return RegistrationEditCommand(inv);
  }
  if (sub == "submit") {
    return RegistrationSubmit(inv);
  }
  if (sub == "accept") {
    return RegistrationAccept(inv);
  }
  if (sub == "return") {
    return RegistrationReturn(inv);
  }
  if (sub == "status") {
    return RegistrationStatusCommand(inv);
  }
  if (sub == "model-point") {
    return RegistrationModelPoint(inv);
  }
  if (sub == "choose") {
    return RegistrationChoose(inv);
  }
  return UsageError(absl::StrFormat(
      "%s; lệnh con của registration: create, show, edit, submit, accept, return, status, "
      "model-point, choose",
      sub.empty() ? "thiếu lệnh con" : absl::StrFormat("lệnh con không rõ \"%s\"", sub)));
}

// --- inbox, deliveries, subscription, urge ------------------------------------------------------

// The inbox named by positional word `index`.
absl::StatusOr<std::string> InboxArg(const Invocation& inv, size_t index) {
  return InboxName(inv.args.positionals[index]);
}

// Usage error naming the first of `names` the command line lacks.
absl::Status RequireOptions(const Invocation& inv, std::initializer_list<absl::string_view> names,
                            absl::string_view synopsis) {
  for (const absl::string_view name : names) {
    if (!inv.Option(std::string(name)).has_value()) {
      return UsageError(absl::StrFormat("thiếu --%s; cú pháp: ntmctl %s", name, synopsis));
    }
  }
  return absl::OkStatus();
}

// --limit=N (1–500), or `fallback`.
absl::StatusOr<int> LimitOption(const Invocation& inv, int fallback) {
  const std::optional<std::string> text = inv.Option("limit");
  if (!text.has_value()) {
    return fallback;
  }
  int limit = 0;
  if (!absl::SimpleAtoi(*text, &limit) || limit < 1 || limit > 500) {
    return UsageError(absl::StrFormat("--limit phải là số nguyên 1–500, không phải \"%s\"", *text));
  }
  return limit;
}

absl::Status InboxList(const Invocation& inv) {
  constexpr char kSynopsis[] = "inbox list HỘP_THƯ [--unread] [--kind=LOẠI] [--limit=SỐ]";
  if (absl::Status s = CheckCommandOptions(inv.args, "inbox list", {"unread", "kind", "limit"});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> inbox = InboxArg(inv, 2);
  if (!inbox.ok()) {
    return inbox.status();
  }
  absl::StatusOr<int> limit = LimitOption(inv, 20);
  if (!limit.ok()) {
    return limit.status();
  }
  nv1::ListNotificationsRequest request;
  request.set_parent(*inbox);
  request.set_unread_only(inv.Option("unread").has_value());
  request.set_page_size(*limit);
  if (const std::optional<std::string> kind = inv.Option("kind"); kind.has_value()) {
    absl::StatusOr<nv1::NotificationKind> parsed = ParseNotificationKind(*kind);
    if (!parsed.ok()) {
      return parsed.status();
    }
    request.set_kind(*parsed);
  }
  return CallAndPrint<nv1::ListNotificationsResponse>(
      inv,
      [&](grpc::ClientContext* context, nv1::ListNotificationsResponse* response) {
        return inv.session.notifications().ListNotifications(context, request, response);
      },
      [&](const nv1::ListNotificationsResponse& response) {
        return RenderInbox(*inbox, response);
      });
}

// Prints each new notification of an inbox as it arrives, until the server ends the stream, the
// connection breaks, or --limit notifications were printed.
absl::Status InboxWatch(const Invocation& inv) {
  constexpr char kSynopsis[] = "inbox watch HỘP_THƯ [--limit=SỐ]";
  if (absl::Status s = CheckCommandOptions(inv.args, "inbox watch", {"limit"}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> inbox = InboxArg(inv, 2);
  if (!inbox.ok()) {
    return inbox.status();
  }
  absl::StatusOr<int> limit = LimitOption(inv, 0);
  if (!limit.ok()) {
    return limit.status();
  }
  nv1::WatchNotificationsRequest request;
  request.set_parent(*inbox);
  // No deadline: the stream lasts as long as the watcher wants it.
  grpc::ClientContext context;
  inv.session.Identify(&context);
  std::unique_ptr<grpc::ClientReaderInterface<nv1::WatchNotificationsResponse>> reader =
      inv.session.notifications().WatchNotifications(&context, request);
  if (!inv.json()) {
    inv.out() << "Đang chờ thông báo mới của hộp thư " << *inbox << " (Ctrl-C để dừng)\n";
    inv.out().flush();
  }
  nv1::WatchNotificationsResponse item;
  int printed = 0;
  while (reader->Read(&item)) {
    if (inv.json()) {
      if (absl::Status s = PrintJson(item.notification(), inv.out()); !s.ok()) {
        return s;
      }
    } else {
      inv.out() << RenderNotification(item.notification());
    }
    inv.out().flush();
    if (*limit > 0 && ++printed >= *limit) {
      context.TryCancel();
      break;
    }
  }
  const grpc::Status status = reader->Finish();
  if (status.ok() || (*limit > 0 && printed >= *limit)) {
    return absl::OkStatus();
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

absl::Status InboxRead(const Invocation& inv) {
  constexpr char kSynopsis[] = "inbox read HỘP_THƯ (SỐ [SỐ ...] | --all)";
  if (absl::Status s = CheckCommandOptions(inv.args, "inbox read", {"all"}); !s.ok()) {
    return s;
  }
  const bool all = inv.Option("all").has_value();
  if (absl::Status s = ExpectArgs(inv.args, 2, all ? 1 : 2, all ? 1 : 502, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> inbox = InboxArg(inv, 2);
  if (!inbox.ok()) {
    return inbox.status();
  }
  nv1::MarkReadRequest request;
  request.set_parent(*inbox);
  for (size_t i = 3; i < inv.args.positionals.size(); ++i) {
    const std::string& word = inv.args.positionals[i];
    int64_t id = 0;
    if (absl::SimpleAtoi(word, &id) && id > 0) {
      request.add_names(absl::StrCat(*inbox, "/notifications/", id));
    } else if (absl::StartsWith(word, absl::StrCat(*inbox, "/notifications/"))) {
      request.add_names(word);
    } else {
      return UsageError(absl::StrFormat(
          "\"%s\" không phải thông báo của hộp thư %s (số thông báo, ví dụ 17, hoặc tên đầy đủ "
          "%s/notifications/17)",
          word, *inbox, *inbox));
    }
  }
  if (all) {
    // Everything up to the newest notification there is now.
    nv1::ListNotificationsRequest list;
    list.set_parent(*inbox);
    list.set_page_size(1);
    nv1::ListNotificationsResponse newest;
    absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
      return inv.session.notifications().ListNotifications(context, list, &newest);
    });
    if (!status.ok()) {
      return status;
    }
    if (newest.notifications().empty()) {
      inv.out() << "Hộp thư " << *inbox << " không có thông báo nào.\n";
      return absl::OkStatus();
    }
    request.set_up_to(newest.notifications(0).name());
  }
  nv1::MarkReadResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.notifications().MarkRead(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << absl::StrFormat("Đã đánh dấu đã đọc %d thông báo; còn %d thông báo chưa đọc.\n",
                               response.marked(), response.unread_count());
  return absl::OkStatus();
}

absl::Status InboxCommand(const Invocation& inv) {
  const std::string sub = inv.args.positionals.size() > 1 ? inv.args.positionals[1] : "";
  if (sub == "list") {
    return InboxList(inv);
  }
  if (sub == "watch") {
    return InboxWatch(inv);
  }
  if (sub == "read") {
    return InboxRead(inv);
  }
  return UsageError(absl::StrFormat(
      "%s; lệnh con của inbox: list, watch, read",
      sub.empty() ? "thiếu lệnh con" : absl::StrFormat("lệnh con không rõ \"%s\"", sub)));
}

absl::Status Deliveries(const Invocation& inv) {
  constexpr char kSynopsis[] = "deliveries HỘP_THƯ [--state=TRẠNG_THÁI] [--limit=SỐ]";
  if (absl::Status s = CheckCommandOptions(inv.args, "deliveries", {"state", "limit"}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 1, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> inbox = InboxArg(inv, 1);
  if (!inbox.ok()) {
    return inbox.status();
  }
  absl::StatusOr<int> limit = LimitOption(inv, 50);
  if (!limit.ok()) {
    return limit.status();
  }
  nv1::ListDeliveriesRequest request;
  request.set_parent(*inbox);
  request.set_page_size(*limit);
  if (const std::optional<std::string> state = inv.Option("state"); state.has_value()) {
    absl::StatusOr<nv1::DeliveryState> parsed = ParseDeliveryState(*state);
    if (!parsed.ok()) {
      return parsed.status();
    }
    request.set_state(*parsed);
  }
  return CallAndPrint<nv1::ListDeliveriesResponse>(
      inv,
      [&](grpc::ClientContext* context, nv1::ListDeliveriesResponse* response) {
        return inv.session.notifications().ListDeliveries(context, request, response);
      },
      [&](const nv1::ListDeliveriesResponse& response) {
        return RenderDeliveries(*inbox, response);
      });
}

absl::Status SubscriptionCreate(const Invocation& inv) {
  constexpr char kSynopsis[] =
      "subscription create HỘP_THƯ --channel=email|webhook|in-app --address=ĐỊA_CHỈ "
      "[--kinds=LOẠI,LOẠI] [--secret=KHÓA]";
  if (absl::Status s = CheckCommandOptions(inv.args, "subscription create",
                                           {"channel", "address", "kinds", "secret"});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = RequireOptions(inv, {"channel"}, kSynopsis); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> inbox = InboxArg(inv, 2);
  if (!inbox.ok()) {
    return inbox.status();
  }
  absl::StatusOr<nv1::Channel> channel = ParseChannel(*inv.Option("channel"));
  if (!channel.ok()) {
    return channel.status();
  }
  nv1::CreateSubscriptionRequest request;
  request.set_parent(*inbox);
  nv1::Subscription& subscription = *request.mutable_subscription();
  subscription.set_channel(*channel);
  subscription.set_address(inv.Option("address").value_or(""));
  subscription.set_secret(inv.Option("secret").value_or(""));
  absl::StatusOr<std::vector<nv1::NotificationKind>> kinds =
      ParseNotificationKinds(inv.Option("kinds").value_or(""));
  if (!kinds.ok()) {
    return kinds.status();
  }
  for (const nv1::NotificationKind kind : *kinds) {
    subscription.add_kinds(kind);
  }
  nv1::CreateSubscriptionResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.notifications().CreateSubscription(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << "Đã đăng ký " << response.subscription().name() << ".\n";
  if (response.subscription().channel() == nv1::CHANNEL_WEBHOOK) {
    inv.out() << "Khóa ký webhook (giữ bí mật; dùng để kiểm tra webhook-signature): "
              << response.subscription().secret() << "\n";
  }
  return absl::OkStatus();
}

absl::Status SubscriptionList(const Invocation& inv) {
  constexpr char kSynopsis[] = "subscription list HỘP_THƯ";
  if (absl::Status s = CheckCommandOptions(inv.args, "subscription list", {}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> inbox = InboxArg(inv, 2);
  if (!inbox.ok()) {
    return inbox.status();
  }
  nv1::ListSubscriptionsRequest request;
  request.set_parent(*inbox);
  nv1::ListSubscriptionsResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.notifications().ListSubscriptions(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << RenderSubscriptions(*inbox,
                                   std::vector<nv1::Subscription>(response.subscriptions().begin(),
                                                                  response.subscriptions().end()));
  return absl::OkStatus();
}

absl::Status SubscriptionDelete(const Invocation& inv) {
  constexpr char kSynopsis[] = "subscription delete TÊN_ĐĂNG_KÝ";
  if (absl::Status s = CheckCommandOptions(inv.args, "subscription delete", {}); !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 2, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  const std::string& name = inv.args.positionals[2];
  if (name.find("/subscriptions/") == std::string::npos) {
    return UsageError(absl::StrFormat(
        "tên đăng ký không hợp lệ: \"%s\" (ví dụ units/03424/subscriptions/3, như subscription "
        "list in ra)",
        name));
  }
  nv1::DeleteSubscriptionRequest request;
  request.set_name(name);
  nv1::DeleteSubscriptionResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.notifications().DeleteSubscription(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << "Đã xóa " << name << ".\n";
  return absl::OkStatus();
}

absl::Status SubscriptionCommand(const Invocation& inv) {
  const std::string sub = inv.args.positionals.size() > 1 ? inv.args.positionals[1] : "";
  if (sub == "create") {
    return SubscriptionCreate(inv);
  }
  if (sub == "list") {
    return SubscriptionList(inv);
  }
  if (sub == "delete") {
    return SubscriptionDelete(inv);
  }
  return UsageError(absl::StrFormat(
      "%s; lệnh con của subscription: create, list, delete",
      sub.empty() ? "thiếu lệnh con" : absl::StrFormat("lệnh con không rõ \"%s\"", sub)));
}

// A steering-committee member urges communes about indicators its agency owns. The request id
// depends on the whole command, so running it again sends nothing twice.
absl::Status Urge(const Invocation& inv) {
  constexpr char kSynopsis[] =
      "urge MÃ_HUYỆN --units=MÃ_XÃ,MÃ_XÃ --indicators=MÃ,MÃ --message=NỘI_DUNG "
      "[--directive=VĂN_BẢN]";
  if (absl::Status s =
          CheckCommandOptions(inv.args, "urge", {"units", "indicators", "message", "directive"});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = RequireOptions(inv, {"units", "indicators", "message"}, kSynopsis);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ExpectArgs(inv.args, 1, 1, 1, kSynopsis); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> district = UnitName(inv.args.positionals[1]);
  if (!district.ok()) {
    return district.status();
  }
  nv1::SendUrgeRequest request;
  request.set_parent(*district);
  for (const absl::string_view word :
       absl::StrSplit(*inv.Option("units"), ',', absl::SkipWhitespace())) {
    absl::StatusOr<std::string> unit = UnitName(TrimSpace(word));
    if (!unit.ok()) {
      return unit.status();
    }
    request.add_units(*unit);
  }
  for (const absl::string_view code :
       absl::StrSplit(*inv.Option("indicators"), ',', absl::SkipWhitespace())) {
    request.add_indicator_codes(std::string(TrimSpace(code)));
  }
  request.set_message(*inv.Option("message"));
  if (const std::optional<std::string> directive = inv.Option("directive"); directive.has_value()) {
    absl::StatusOr<std::string> name = DirectiveName(*directive);
    if (!name.ok()) {
      return name.status();
    }
    request.set_directive(*name);
  }
  request.set_request_id(RequestId("urge", *district, request.SerializeAsString()));
  nv1::SendUrgeResponse response;
  absl::Status status = inv.session.Call([&](grpc::ClientContext* context) {
    return inv.session.notifications().SendUrge(context, request, &response);
  });
  if (!status.ok()) {
    return status;
  }
  if (inv.json()) {
    return PrintJson(response, inv.out());
  }
  inv.out() << absl::StrFormat("Đã gửi lời đôn đốc tới %d xã:\n", response.notifications_size());
  for (const nv1::Notification& n : response.notifications()) {
    inv.out() << "  " << n.inbox() << "  " << n.name() << "\n";
  }
  return absl::OkStatus();
}

// The standard gRPC health check (grpc.health.v1.Health/Check), without generated code: the
// request is field 1 (the service name, "" for the whole server), the answer field 1 (an enum).
absl::StatusOr<int> CheckHealth(Session& session, const std::string& service) {
  grpc::GenericStub stub(session.channel());
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + session.options().timeout));
  std::string request_bytes;
  if (!service.empty()) {
    request_bytes.push_back('\x0a');
    for (size_t n = service.size();; n >>= 7) {  // the length as a varint
      request_bytes.push_back(static_cast<char>(n < 0x80 ? n : (n & 0x7f) | 0x80));
      if (n < 0x80) {
        break;
      }
    }
    request_bytes += service;
  }
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  absl::Mutex mu;
  bool done = false;
  grpc::Status status;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) {
                   absl::MutexLock lock(&mu);
                   status = std::move(s);
                   done = true;
                 });
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(&done));
  }
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (response.Dump(&slices).ok()) {
    for (const grpc::Slice& s : slices) {
      bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  // Absent field: UNKNOWN (0). Otherwise tag 0x08 and a one-byte varint (the enum has 4 values).
  if (bytes.empty()) {
    return 0;
  }
  if (bytes.size() < 2 || bytes[0] != '\x08' || (bytes[1] & 0x80) != 0) {
    return absl::InternalError("the health answer could not be read");
  }
  return static_cast<int>(bytes[1]);
}

absl::Status Health(const Invocation& inv) {
  constexpr char kSynopsis[] = "health [DỊCH_VỤ]";
  if (absl::Status s = CheckCommandOptions(inv.args, "health", {}); !s.ok()) {
    return s;
  }
  if (inv.args.positionals.size() > 2) {
    return UsageError(absl::StrCat("thừa tham số; cú pháp: ", kSynopsis));
  }
  const std::string service = inv.args.positionals.size() == 2 ? inv.args.positionals[1] : "";
  absl::StatusOr<int> state = CheckHealth(inv.session, service);
  if (!state.ok()) {
    return state.status();
  }
  static constexpr const char* kNames[] = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};
  const char* name = *state >= 0 && *state < 4 ? kNames[*state] : "UNKNOWN";
  const std::string what = service.empty()
                               ? inv.session.options().server
                               : absl::StrCat(service, " tại ", inv.session.options().server);
  if (inv.json()) {
    inv.out() << "{\"status\": \"" << name << "\"}\n";
  } else {
    inv.out() << what << ": " << name << "\n";
  }
  if (*state != 1) {
    return LocalError(absl::StrCat(what, " chưa sẵn sàng (", name, ")"));
  }
  return absl::OkStatus();
}

absl::Status Dispatch(const Invocation& inv) {
  const std::string& command = inv.args.positionals[0];
  if (command == "criteria-set") {
    return CriteriaSetCommand(inv);
  }
  if (command == "units") {
    return Units(inv);
  }
  if (command == "create") {
    return Create(inv);
  }
  if (command == "status") {
    return StatusCommand(inv);
  }
  if (command == "values") {
    return ValuesSet(inv);
  }
  if (command == "submit") {
    return Submit(inv);
  }
  if (command == "review") {
    return Review(inv);
  }
  if (command == "matrix") {
    return Matrix(inv);
  }
  if (command == "threshold") {
    return ThresholdSet(inv);
  }
  if (command == "directive") {
    return DirectiveCommand(inv);
  }
  if (command == "plan") {
    return PlanCommand(inv);
  }
  if (command == "registration") {
    return RegistrationCommand(inv);
  }
  if (command == "inbox") {
    return InboxCommand(inv);
  }
  if (command == "deliveries") {
    return Deliveries(inv);
  }
  if (command == "subscription") {
    return SubscriptionCommand(inv);
  }
  if (command == "urge") {
    return Urge(inv);
  }
  if (command == "health") {
    return Health(inv);
  }
  return UsageError(absl::StrFormat("lệnh không rõ \"%s\"", command));
}

int ReportError(const absl::Status& status, const GlobalOptions* options, const Io& io) {
  std::ostream& err = *io.err;
  if (IsUsageError(status)) {
    err << "lỗi: " << status.message() << "\nXem hướng dẫn: ntmctl help\n";
    return kExitUsage;
  }
  if (IsLocalError(status)) {
    err << "lỗi: " << status.message() << "\n";
    return kExitError;
  }
  err << "lỗi: " << absl::StatusCodeToString(status.code()) << ": " << status.message() << "\n";
  if (absl::IsUnavailable(status) && options != nullptr) {
    err << "(không kết nối được tới " << options->server
        << "; kiểm tra --server hoặc biến môi trường NTM_SERVER)\n";
  }
  return kExitError;
}

}  // namespace

std::string UsageText() {
  return R"(ntmctl — công cụ dòng lệnh cho các dịch vụ đánh giá, kế hoạch, đăng ký và thông báo xây dựng nông thôn mới (NTM)

Cách dùng: ntmctl [tùy chọn chung] LỆNH [tham số] [tùy chọn của lệnh]

Lệnh:
  criteria-set list                      danh sách bộ tiêu chí
  criteria-set show [TÊN]                tiêu chí, chỉ tiêu, ngưỡng của một bộ tiêu chí
                                         (mặc định criteriaSets/lai-chau-2022)
  units MÃ_CHA [--level=commune|village|district]
                                         các đơn vị hành chính trực thuộc
  create MÃ_XÃ --as-of=YYYY-MM-DD [--criteria-set=TÊN]
                                         tạo bản đánh giá của xã tại ngày
  status MÃ_XÃ [--as-of=YYYY-MM-DD]      kết quả của xã theo từng tiêu chí
                                         (mặc định: bản đánh giá mới nhất)
  values set TÊN_BẢN_ĐÁNH_GIÁ TỆP.csv    nhập giá trị chỉ tiêu từ tệp CSV ("-": đầu vào chuẩn)
  submit TÊN_BẢN_ĐÁNH_GIÁ                gửi bản đánh giá lên huyện
  review TÊN_BẢN_ĐÁNH_GIÁ TIÊU_CHÍ confirm|dispute [--reason=LÝ_DO]
                                         thẩm định một tiêu chí (mã truy cập của cơ quan)
  matrix MÃ_ĐƠN_VỊ --as-of=YYYY-MM-DD    bảng tiêu chí của các xã trong huyện
  threshold set MÃ_CHỈ_TIÊU (--value=SỐ | --clear) --source="CĂN CỨ" [--year=NĂM]
        [--status=official|unverified] [--criteria-set=TÊN]
                                         đặt hoặc xóa ngưỡng của chỉ tiêu (Văn phòng điều phối
                                         tỉnh), ghi kèm căn cứ pháp lý; không --year: mọi năm
  directive show VĂN_BẢN                 văn bản chỉ đạo: số, ngày, hạn nộp (giờ Việt Nam), yêu
                                         cầu, chỉ tiêu trọng tâm, các đơn vị được giao và hạn của
                                         từng đơn vị (đánh dấu đơn vị được gia hạn)
  plan create MÃ_XÃ VĂN_BẢN              tạo kế hoạch (dự thảo) của xã theo văn bản chỉ đạo, điền
                                         sẵn từ bản đánh giá đã gửi gần nhất của xã
  plan show TÊN_KẾ_HOẠCH                 kế hoạch theo các phần của mẫu (I–V) và lịch sử;
  plan show MÃ_XÃ MÃ_VĂN_BẢN             cũng gọi được bằng mã xã và mã văn bản chỉ đạo
  plan edit TÊN_KẾ_HOẠCH TỆP.json [--etag=ETAG]
                                         sửa kế hoạch theo tệp JSON ("-": đầu vào chuẩn); chỉ các
                                         phần có trong tệp được thay, mỗi phần thay cả phần
  plan submit TÊN_KẾ_HOẠCH [--etag=ETAG] gửi kế hoạch lên huyện
  plan accept TÊN_KẾ_HOẠCH [--note=GHI_CHÚ] [--etag=ETAG]
                                         chấp nhận kế hoạch (Phòng NN&PTNT huyện)
  plan return TÊN_KẾ_HOẠCH --reason=LÝ_DO [--reason=LÝ_DO ...] [--etag=ETAG]
                                         trả lại kế hoạch cho xã, mỗi lý do một --reason
  plan status VĂN_BẢN                    tình hình nộp kế hoạch của các đơn vị được giao
  plan summary VĂN_BẢN [--agency=agencies/ID] [--drafts]
                                         tổng hợp mục tiêu và kinh phí trong kế hoạch các xã đã
                                         gửi; --agency: chỉ các chỉ tiêu cơ quan đó phụ trách;
                                         --drafts: tính cả kế hoạch dự thảo
  registration create MÃ_XÃ VĂN_BẢN      tạo bản đăng ký mô hình điểm và thay đổi của các bản
                                         (dự thảo), với các bản của xã theo danh mục
  registration show TÊN_BẢN_ĐĂNG_KÝ      mô hình điểm, thay đổi của từng bản (bên cạnh thay đổi
  registration show MÃ_XÃ MÃ_VĂN_BẢN     bản đó đăng ký năm trước), xác nhận, còn thiếu, lịch sử
  registration edit TÊN_BẢN_ĐĂNG_KÝ TỆP.json [--etag=ETAG]
                                         sửa bản đăng ký theo tệp JSON (các phần model_point,
                                         village_changes, endorsements; mỗi phần thay cả phần)
  registration submit TÊN_BẢN_ĐĂNG_KÝ [--etag=ETAG]
                                         gửi bản đăng ký lên huyện (phải đủ mô hình điểm, thay
                                         đổi của mọi bản và bốn xác nhận)
  registration accept TÊN_BẢN_ĐĂNG_KÝ [--note=GHI_CHÚ] [--etag=ETAG]
  registration return TÊN_BẢN_ĐĂNG_KÝ --reason=LÝ_DO [--reason=LÝ_DO ...] [--etag=ETAG]
                                         chấp nhận / trả lại bản đăng ký (Phòng NN&PTNT huyện)
  registration status VĂN_BẢN            xã nào chưa đăng ký, bản nào còn thiếu thay đổi
  registration model-point VĂN_BẢN       mô hình điểm của huyện đã chọn
  registration choose VĂN_BẢN --from=TÊN_BẢN_ĐĂNG_KÝ [--reason=LÝ_DO]
  registration choose VĂN_BẢN --content=NỘI_DUNG [--place=ĐỊA_ĐIỂM] [--topic=CHỦ_ĐỀ]
        [--indicators=MÃ,MÃ] [--reason=LÝ_DO]
                                         chọn mô hình điểm của huyện: của một xã đã gửi, hoặc
                                         huyện tự đặt
  inbox list HỘP_THƯ [--unread] [--kind=LOẠI] [--limit=SỐ]
                                         thông báo trong hộp thư (mới nhất trước, mặc định 20):
                                         nhắc hạn, quá hạn, văn bản chỉ đạo, gia hạn, kế hoạch
                                         và bản đăng ký được gửi lên / trả lại / chấp nhận, đôn đốc
  inbox watch HỘP_THƯ [--limit=SỐ]       in thông báo mới ngay khi có (đến khi Ctrl-C)
  inbox read HỘP_THƯ (SỐ [SỐ ...] | --all)
                                         đánh dấu đã đọc các thông báo (số in sau tên của thông
                                         báo), hoặc mọi thông báo đến nay
  deliveries HỘP_THƯ [--state=TRẠNG_THÁI] [--limit=SỐ]
                                         các lần gửi qua thư điện tử và webhook: trạng thái, số
                                         lần thử, lỗi (pending, sending, sent, failed, cancelled)
  subscription create HỘP_THƯ --channel=email|webhook|in-app --address=ĐỊA_CHỈ
        [--kinds=LOẠI,LOẠI] [--secret=KHÓA]
                                         nhận thông báo của hộp thư qua thư điện tử hoặc webhook
                                         (ký theo Standard Webhooks; không --secret thì máy chủ
                                         tạo khóa và in ra một lần)
  subscription list HỘP_THƯ              các đăng ký nhận thông báo của hộp thư
  subscription delete TÊN_ĐĂNG_KÝ        xóa một đăng ký
  urge MÃ_HUYỆN --units=MÃ_XÃ,MÃ_XÃ --indicators=MÃ,MÃ --message=NỘI_DUNG [--directive=VĂN_BẢN]
                                         thành viên Ban chỉ đạo đôn đốc các xã về những chỉ tiêu
                                         cơ quan mình phụ trách
  health [DỊCH_VỤ]                       máy chủ (hoặc một dịch vụ của nó, ví dụ
                                         ntm.plans.v1.PlanService) có sẵn sàng không: in SERVING
                                         và thoát 0, hoặc NOT_SERVING và thoát 1 (không cần mã
                                         truy cập; dùng cho kiểm tra sức khỏe của container)
  help                                   hướng dẫn này

Tùy chọn chung:
  --server=HOST:PORT     máy chủ (mặc định $NTM_SERVER hoặc cổng vào 127.0.0.1:50051)
  --token=MÃ             mã truy cập gửi tới cổng (gateway) trong "authorization: Bearer"
                         (mặc định $NTM_TOKEN); --token-file=TỆP đọc mã từ tệp ($NTM_TOKEN_FILE).
                         Cổng xác định người gọi từ mã này.
  --as=NGƯỜI_DÙNG        chỉ khi gọi thẳng dịch vụ (không qua cổng): mã người dùng gửi trong
                         x-ntm-principal (mặc định $NTM_PRINCIPAL hoặc ntmctl)
  --agency=agencies/ID   chỉ khi gọi thẳng dịch vụ: cơ quan gửi trong x-ntm-agency (với
                         plan summary còn là cơ quan có các chỉ tiêu cần tổng hợp)
  --timeout=GIÂY         thời hạn của mỗi lời gọi (mặc định 10)
  --tls                  nói chuyện với máy chủ qua TLS, tin các CA của hệ thống ($NTM_TLS=1)
  --ca-file=TỆP          qua TLS, tin chứng chỉ CA trong tệp PEM này ($NTM_CA_FILE)
  --json                 in phản hồi dạng JSON của protobuf thay cho bảng

Tên viết tắt: 03424 = units/03424; 03424/2023-12-31 = units/03424/assessments/2023-12-31;
lai-chau-2022 = criteriaSets/lai-chau-2022; 106/tam-duong-2024 = units/106/directives/tam-duong-2024
(văn bản chỉ đạo); 03424/tam-duong-2024 = units/03424/plans/tam-duong-2024 (kế hoạch của xã) với
plan, units/03424/registrations/tam-duong-2024 (bản đăng ký của xã) với registration.
Hộp thư: 03424 = units/03424 (văn phòng của xã hoặc huyện), agencies/ID (các thành viên của một cơ
quan), principals/ID (một người); chỉ chủ hộp thư đọc được. Loại thông báo (--kind, --kinds):
reminder, overdue, directive, extended, submitted, returned, accepted, urge.

Tệp JSON của plan edit: một ntm.plans.v1.Plan theo cách viết JSON của protobuf (hoặc kết quả của
plan show --json), ví dụ:
  {"status_summary": "Xã đạt 12/19 tiêu chí ...",
   "targets": [{"indicator_code": "13.3", "reach_standard": true},
               {"indicator_code": "15.1", "target_value": 90, "note": "Theo số liệu BHXH"}],
   "tasks": [{"content_group": "CONTENT_GROUP_INFRASTRUCTURE", "content": "Cứng hóa 2 km đường",
              "responsible": "UBND xã", "start_date": "2024-03-01", "end_date": "2024-09-30",
              "indicator_codes": ["2.1"], "cost_dong": "1250000000"}],
   "funding": {"total_dong": "1250000000",
               "by_group": [{"content_group": "CONTENT_GROUP_INFRASTRUCTURE",
                             "amount_dong": "1250000000"}],
               "by_source": [{"source": "FUNDING_SOURCE_NTM_PROGRAM",
                              "amount_dong": "1250000000"}]}}
Nhóm nội dung 2.1–2.5: CONTENT_GROUP_PLANNING, _INFRASTRUCTURE, _ECONOMY,
_CULTURE_SOCIETY_ENVIRONMENT, _POLITICAL_SYSTEM. Nguồn vốn: FUNDING_SOURCE_NTM_PROGRAM,
_POVERTY_REDUCTION, _ETHNIC_MINORITY, _PROJECTS, _INTEGRATED, _CREDIT, _ENTERPRISES, _COMMUNITY.
Các phần: status_summary, targets, tasks, funding, solutions, organisation; phần có trong tệp
được thay cả phần ("tasks": [] xóa mọi nhiệm vụ), phần không có giữ nguyên. Trường chỉ đọc (state,
baseline, history, ...) bị bỏ qua; trường không rõ là lỗi. --etag: etag in ra ở lần đọc trước
(có hoặc không có dấu ngoặc kép); kế hoạch đã đổi từ đó thì máy chủ từ chối (ABORTED).

Tệp JSON của registration edit: một ntm.registrations.v1.Registration (hoặc kết quả của
registration show --json), ví dụ:
  {"model_point": {"content": "Bản sáng - xanh - sạch - đẹp Nà Khương", "place": "Bản Nà Khương",
                   "topic": "Môi trường", "indicator_codes": ["17.3", "17.11"]},
   "village_changes": [{"village": "units/03424001", "content": "Điểm tập kết rác của bản",
                        "indicator_codes": ["17.6"], "last_year_state": "Rác đổ ven suối",
                        "this_year_target": "Thu gom hằng tuần"}],
   "endorsements": [{"body": "ENDORSEMENT_BODY_PARTY_COMMITTEE",
                     "signed_by": "Lò Văn A, Bí thư Đảng ủy", "date": "2024-02-05"}]}
Cơ quan xác nhận: ENDORSEMENT_BODY_PARTY_COMMITTEE, _PEOPLES_COUNCIL, _PEOPLES_COMMITTEE,
_STEERING_COMMITTEE.

Tệp CSV (UTF-8, có thể có BOM), dòng đầu là tiêu đề:
  indicator_code,value,note,evidence
  13.3,đạt,Theo báo cáo của xã,Báo cáo số 12/BC-UBND
  15.1,"95,5",,
  9.1,0,,
Giá trị Đạt/Không đạt: đạt, có, 1 / không đạt, chưa đạt, không, 0. Tỷ lệ và mức: 95, 95.5 hoặc
"95,5" (số có dấu phẩy phải đặt trong ngoặc kép). Số lượng: số nguyên không âm. Trong bảng tính,
hãy để cột indicator_code ở dạng Văn bản (Text) để 17.10 không bị đổi thành 17.1.
Có dòng sai thì báo "dòng N: ..." và không gửi gì.

Mã thoát: 0 thành công; 1 lỗi từ máy chủ hoặc tệp đầu vào; 2 sai cú pháp lệnh.
)";
}

int RunNtmctl(const std::vector<std::string>& args, const Io& io) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args);
  if (!parsed.ok()) {
    return ReportError(parsed.status(), nullptr, io);
  }
  if (parsed->options.contains("help") ||
      (!parsed->positionals.empty() && parsed->positionals[0] == "help")) {
    *io.out << UsageText();
    return kExitOk;
  }
  if (parsed->positionals.empty()) {
    *io.err << UsageText();
    return kExitUsage;
  }
  absl::StatusOr<GlobalOptions> options = ReadGlobalOptions(*parsed, io.env);
  if (!options.ok()) {
    return ReportError(options.status(), nullptr, io);
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (options->tls) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = options->ca_pem;  // empty: the system's certificate authorities
    credentials = grpc::SslCredentials(ssl);
  }
  std::shared_ptr<grpc::ChannelInterface> channel =
      io.connect ? io.connect(options->server) : grpc::CreateChannel(options->server, credentials);
  Session session(*options, channel);
  const Invocation invocation{.args = *parsed, .io = io, .session = session};
  const absl::Status status = Dispatch(invocation);
  if (!status.ok()) {
    io.out->flush();
    return ReportError(status, &*options, io);
  }
  return kExitOk;
}

}  // namespace ntm::ntmctl
