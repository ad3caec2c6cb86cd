// Conversions between the public contract (ntm.plans.v1) and the plans domain, and parsing of
// resource names, etags and page tokens. Errors name the request field.
#ifndef NTM_SERVICES_PLANS_API_CONVERT_H_
#define NTM_SERVICES_PLANS_API_CONVERT_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "ntm/plans/v1/directive.pb.h"
#include "ntm/plans/v1/plan.pb.h"
#include "services/common/request.h"
#include "services/plans/app/plans_app.h"

namespace ntm::plans::api {

namespace pb = ::ntm::plans::v1;

// "units/106/directives/tam-duong-2024" -> {"106", "tam-duong-2024"}.
absl::StatusOr<std::pair<std::string, std::string>> ParseDirectiveName(absl::string_view field,
                                                                       absl::string_view name);
// "units/03424/plans/tam-duong-2024" -> {"03424", "tam-duong-2024"}.
absl::StatusOr<std::pair<std::string, std::string>> ParsePlanName(absl::string_view field,
                                                                  absl::string_view name);
std::string DirectiveName(absl::string_view issuing_unit_code, absl::string_view id);
std::string PlanName(absl::string_view unit_code, absl::string_view directive_id);

// A deadline: a valid timestamp in 2000–2037 (what the database's TIMESTAMP columns hold).
absl::StatusOr<absl::Time> ParseDeadline(absl::string_view field,
                                         const google::protobuf::Timestamp& ts, bool has);

void ToProto(const Directive& d, pb::Directive* out);
void ToProto(const PlanView& v, bool with_history, pb::Plan* out);
pb::PlanState ToProto(PlanState s);
pb::SubmissionStatus ToProto(SubmissionStatus s);

// The directive of a CreateDirective request (id and issuing unit from the request).
absl::StatusOr<Directive> FromProto(const pb::Directive& in, absl::string_view field);
absl::StatusOr<std::vector<Target>> TargetsFromProto(
    const google::protobuf::RepeatedPtrField<pb::Target>& in, absl::string_view field);
absl::StatusOr<std::vector<Task>> TasksFromProto(
    const google::protobuf::RepeatedPtrField<pb::Task>& in, absl::string_view field);
absl::StatusOr<Funding> FundingFromProto(const pb::Funding& in, absl::string_view field);

}  // namespace ntm::plans::api

#endif  // NTM_SERVICES_PLANS_API_CONVERT_H_
