// The plans domain: a district's directive and a commune's annual NTM plan in the form of the
// district's template (targets per indicator; tasks under 2.1–2.5; funding in đồng by the five
// content groups and by source; solutions; organisation). Pure data: no gRPC, no SQL.
#ifndef NTM_SERVICES_PLANS_DOMAIN_MODEL_H_
#define NTM_SERVICES_PLANS_DOMAIN_MODEL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace ntm::plans {

// The five content groups of the template (sections 2.1–2.5 of the tasks, and of the funding).
enum class ContentGroup {
  kPlanning = 1,                   // 2.1 Về quy hoạch và thực hiện quy hoạch
  kInfrastructure = 2,             // 2.2 Về hạ tầng kinh tế - xã hội
  kEconomy = 3,                    // 2.3 Về kinh tế và tổ chức sản xuất
  kCultureSocietyEnvironment = 4,  // 2.4 Về văn hóa, xã hội và môi trường
  kPoliticalSystem = 5,            // 2.5 Về hệ thống chính trị
};

// Where the money comes from: the template's five sources and the other usual ones.
enum class FundingSource {
  kNtmProgram = 1,        // Nguồn vốn chương trình NTM
  kPovertyReduction = 2,  // Chương trình giảm nghèo
  kEthnicMinority = 3,    // Chương trình phát triển KT-XH vùng ĐBDTTS
  kProjects = 4,          // các đề án, dự án
  kIntegrated = 5,        // vốn lồng ghép
  kCredit = 6,            // tín dụng
  kEnterprises = 7,       // doanh nghiệp
  kCommunity = 8,         // nhân dân đóng góp
};

// Money is a whole number of đồng.
struct Funding {
  int64_t total_dong = 0;
  std::map<ContentGroup, int64_t> by_group;
  std::map<FundingSource, int64_t> by_source;
};

// What a directive asks each addressed unit to send.
enum class Deliverable { kPlan = 1, kRegistration = 2 };

// A unit a directive addresses, with its own deadline when the district extended it.
struct AddressedUnit {
  std::string unit_code;
  // The unit's name as the directory gave it when the directive was issued, e.g. "Xã Bản Bo".
  std::string display_name;
  std::optional<absl::Time> extended_deadline;
  std::string extension_reason;
  std::string extended_by;
  std::optional<absl::Time> extended_at;
};

// A district's (or province's) directive for a year: the công văn that asks the communes for
// their plan and registration by a deadline.
struct Directive {
  // "tam-duong-2024": lower-case letters, digits and '-'.
  std::string id;
  // The document's number as printed, e.g. "125/UBND-NN".
  std::string document_number;
  absl::CivilDay issued_on;
  std::string issuing_unit_code;
  int year = 0;
  // An instant; shown in Asia/Ho_Chi_Minh.
  absl::Time deadline;
  std::vector<Deliverable> deliverables;
  // Indicator codes the directive asks the communes to aim at first, in its order.
  std::vector<std::string> focus_indicators;
  std::string title;
  bool demo = false;
  std::vector<AddressedUnit> units;
  std::string created_by;
  absl::Time created_at;
  int64_t version = 1;
};

enum class PlanState { kDraft, kSubmitted, kReturned, kAccepted };

// What the commune aims at for one indicator this year.
struct Target {
  std::string indicator_code;
  // True: "reach the standard this year"; false: the value below.
  bool reach_standard = true;
  // The target value, scaled by 10^4 like the assessment's numbers (95.5% = 955000).
  std::optional<int64_t> value_fixed4;
  std::string note;
  // Named by the directive as a focus indicator.
  bool focus = false;
};

// A task of the plan, under one of the template's sections 2.1–2.5.
struct Task {
  ContentGroup group = ContentGroup::kPlanning;
  std::string content;
  std::string responsible;
  absl::CivilDay start;
  absl::CivilDay end;
  std::vector<std::string> indicator_codes;
  int64_t cost_dong = 0;
};

// The plan in the template's form.
struct PlanContent {
  // I. The commune's standing at the start of the year.
  std::string status_summary;
  // II.1 Targets.
  std::vector<Target> targets;
  // II.2 Tasks, by content group.
  std::vector<Task> tasks;
  // III. Funding.
  Funding funding;
  // IV. Solutions.
  std::string solutions;
  // V. Organisation.
  std::string organisation;
};

// One entry of a plan's history: an edit or a transition.
struct PlanEvent {
  std::string action;  // "create", "edit", "submit", "accept", "return"
  PlanState from = PlanState::kDraft;
  PlanState to = PlanState::kDraft;
  std::string actor;
  absl::Time at;
  std::string reason;
};

// The commune's standing a plan starts from: its latest submitted assessment when the plan was
// created. Kept with the plan, so that validating later edits does not need the assessment service.
struct Baseline {
  // "units/03424/assessments/2023-12-31".
  std::string assessment;
  // "criteriaSets/lai-chau-2022".
  std::string criteria_set;
  int criteria_met = 0;
  int criteria_total = 0;
  // Every indicator code of the criteria set, in catalog order.
  std::vector<std::string> known;
  // Those the commune met.
  std::vector<std::string> met;
  // Those it did not meet (not met, or without data), in catalog order.
  std::vector<std::string> not_met;
};

// A commune's plan for a directive.
struct Plan {
  // "<directive id>.<unit code>", e.g. "tam-duong-2024.03424".
  std::string id;
  std::string directive_id;
  std::string unit_code;
  std::string unit_display_name;
  // The unit and its ancestors' codes, e.g. "/12/106/03424/".
  std::string unit_path;
  PlanState state = PlanState::kDraft;
  Baseline baseline;
  PlanContent content;
  // The last submission, and whether it came after the deadline that applied.
  std::optional<absl::Time> submitted_at;
  bool submitted_late = false;
  std::string created_by;
  absl::Time created_at;
  std::string updated_by;
  absl::Time updated_at;
  int64_t version = 1;
  std::vector<PlanEvent> history;
};

// Where a unit stands on one deliverable of a directive.
enum class SubmissionStatus {
  kNotStarted,
  kDraft,
  kSubmittedOnTime,
  kSubmittedLate,
  kReturned,
  kAccepted,
};

// What the status view needs of a unit's plan.
struct PlanProgress {
  PlanState state = PlanState::kDraft;
  // The last submission; set once the plan was ever submitted.
  std::optional<absl::Time> submitted_at;
};

// A target the plan proposes for an indicator the commune has not met.
struct TargetProposal {
  std::string indicator_code;
  // Named by the directive as a focus indicator.
  bool focus = false;
};

}  // namespace ntm::plans

#endif  // NTM_SERVICES_PLANS_DOMAIN_MODEL_H_
