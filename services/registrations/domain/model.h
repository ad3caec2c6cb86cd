// The registrations domain: with its plan, each commune registers for the year one model point
// (mô hình điểm) and, for every village (bản), one change compared with the year before, agreed
// by the commune's Party committee, People's Council, People's Committee and steering committee.
// The lifecycle (draft, submitted, returned, accepted; on time or late) is the plans' one.
// Pure data: no gRPC, no SQL.
#ifndef NTM_SERVICES_REGISTRATIONS_DOMAIN_MODEL_H_
#define NTM_SERVICES_REGISTRATIONS_DOMAIN_MODEL_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/plans/domain/model.h"

namespace ntm::registrations {

using State = plans::PlanState;
using Event = plans::PlanEvent;

// The commune's model point for the year.
struct ModelPoint {
  std::string content;
  std::string place;
  std::string topic;
  std::vector<std::string> indicator_codes;
};

// A village of the commune, as the directory named it when the registration was created.
struct Village {
  std::string code;
  std::string display_name;
};

// One village's change compared with the year before.
struct VillageChange {
  std::string village_code;
  std::string content;
  std::string place;
  std::vector<std::string> indicator_codes;
  // What it is like now, and what it will be by the end of the year.
  std::string last_year_state;
  std::string this_year_target;
};

// The bodies whose agreement the registration carries (the form's signature blocks).
enum class EndorsementBody {
  kPartyCommittee = 1,     // Đảng ủy xã
  kPeoplesCouncil = 2,     // HĐND xã
  kPeoplesCommittee = 3,   // UBND xã
  kSteeringCommittee = 4,  // Ban chỉ đạo các chương trình MTQG xã
};

inline constexpr EndorsementBody kAllBodies[] = {
    EndorsementBody::kPartyCommittee, EndorsementBody::kPeoplesCouncil,
    EndorsementBody::kPeoplesCommittee, EndorsementBody::kSteeringCommittee};

struct Endorsement {
  EndorsementBody body = EndorsementBody::kPartyCommittee;
  // Who signed for the body, with the title.
  std::string signed_by;
  absl::CivilDay date;
};

// What the commune writes.
struct RegistrationContent {
  std::optional<ModelPoint> model_point;
  std::vector<VillageChange> changes;
  std::vector<Endorsement> endorsements;
};

// A commune's registration for a directive.
struct Registration {
  // "<directive id>.<unit code>", e.g. "tam-duong-2024.03424".
  std::string id;
  std::string directive_id;
  // The unit that issued the directive.
  std::string issuing_unit_code;
  std::string unit_code;
  std::string unit_display_name;
  // The unit and its ancestors' codes, e.g. "/12/106/03424/".
  std::string unit_path;
  // The program year (the directive's).
  int year = 0;
  State state = State::kDraft;
  // The commune's villages, by code, and every indicator code of the criteria set, as they were
  // when the registration was created.
  std::vector<Village> villages;
  std::vector<std::string> known_indicators;
  RegistrationContent content;
  std::optional<absl::Time> submitted_at;
  bool submitted_late = false;
  std::string created_by;
  absl::Time created_at;
  std::string updated_by;
  absl::Time updated_at;
  int64_t version = 1;
  std::vector<Event> history;
};

}  // namespace ntm::registrations

#endif  // NTM_SERVICES_REGISTRATIONS_DOMAIN_MODEL_H_
