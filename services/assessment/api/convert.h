// Conversions between the public contract (ntm.assessment.v1) and the domain, and parsing of
// resource names and page tokens. Errors name the request field.
#ifndef NTM_SERVICES_ASSESSMENT_API_CONVERT_H_
#define NTM_SERVICES_ASSESSMENT_API_CONVERT_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/message.h"
#include "ntm/assessment/v1/assessment.pb.h"
#include "ntm/assessment/v1/catalog.pb.h"
#include "ntm/assessment/v1/directory.pb.h"
#include "services/assessment/domain/app.h"
#include "services/assessment/domain/evaluation.h"
#include "services/assessment/domain/model.h"
#include "services/assessment/domain/rules.h"
#include "services/common/caller.h"
#include "services/common/request.h"

namespace ntm::assessment::api {

namespace pb = ::ntm::assessment::v1;

// "criteriaSets/lai-chau-2022" -> "lai-chau-2022".
absl::StatusOr<std::string> ParseCriteriaSetName(absl::string_view field, absl::string_view name);
// "criteriaSets/lai-chau-2022/indicators/17.11" -> {"lai-chau-2022", "17.11"}.
absl::StatusOr<std::pair<std::string, std::string>> ParseIndicatorName(absl::string_view field,
                                                                       absl::string_view name);
// "units/03424/assessments/2023-12-31".
absl::StatusOr<AssessmentKey> ParseAssessmentName(absl::string_view field, absl::string_view name);
// "agencies/tam-duong-yte" -> "tam-duong-yte".
absl::StatusOr<std::string> ParseAgencyName(absl::string_view field, absl::string_view name);

std::string UnitName(absl::string_view code);
std::string CriteriaSetName(absl::string_view id);
std::string AgencyName(absl::string_view id);
std::string AssessmentName(const AssessmentKey& key);

// A stable hash of a request, for request-id replay detection.
std::string RequestHash(const google::protobuf::Message& request);

Actor ActorFrom(const Caller& caller);

void ToProto(const CriteriaSet& set, bool full, pb::CriteriaSet* out);
void ToProto(const Indicator& indicator, absl::string_view set_id, pb::Indicator* out);
void ToProto(const Unit& unit, pb::Unit* out);
void ToProto(const Agency& agency, pb::Agency* out);
void ToProto(const OwnershipView& view,
             google::protobuf::RepeatedPtrField<pb::OwnershipAssignment>* assignments,
             google::protobuf::RepeatedPtrField<pb::IndicatorOwner>* owners);
void ToProto(const Assessment& a, const CriteriaSet* order, bool with_content, pb::Assessment* out);
void ToProto(const CommuneStanding& s, pb::CommuneStatus* out);
void ToProto(const DistrictMatrixView& m, pb::GetDistrictMatrixResponse* out);

absl::StatusOr<ValueInput> FromProto(const pb::IndicatorValue& v, absl::string_view field);
absl::StatusOr<std::optional<UnitLevel>> FromProto(pb::UnitLevel level, absl::string_view field);

pb::IndicatorResult ToProto(IndicatorResult r);
pb::CriterionResult ToProto(CriterionResult r);
pb::ThresholdStatus ToProto(ThresholdStatus s);
absl::StatusOr<ThresholdStatus> FromProto(pb::ThresholdStatus s, absl::string_view field);

}  // namespace ntm::assessment::api

#endif  // NTM_SERVICES_ASSESSMENT_API_CONVERT_H_
