// The content of `ntmctl plan edit` and `ntmctl registration edit`: a document's parts read from a
// JSON file, and the update mask they make.
#ifndef NTM_TOOLS_NTMCTL_PLAN_EDIT_H_
#define NTM_TOOLS_NTMCTL_PLAN_EDIT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ntm/plans/v1/plan.pb.h"
#include "ntm/registrations/v1/registration.pb.h"

namespace ntm::ntmctl {

// The sections a plan's editor may change, as update_mask paths, in the template's order.
const std::vector<std::string>& PlanSections();

// What to send to UpdatePlan.
struct PlanEdit {
  // The plan's name and the sections the file gives; nothing else.
  plans::v1::Plan plan;
  // The sections the file gives, as update_mask paths, in the template's order.
  std::vector<std::string> sections;
};

// Reads the new content of plan `name` (its full name) from `json`: a ntm.plans.v1.Plan in
// protobuf's JSON mapping (field names as in the .proto, "status_summary", or in lowerCamelCase,
// "statusSummary"), or the output of `ntmctl plan show --json` ({"plan": {...}}). Every section
// (PlanSections) present at the top level is replaced, even when empty: "tasks": [] removes every
// task. Output-only fields (state, baseline, history, ...) are ignored. INVALID_ARGUMENT with a
// message in Vietnamese for text that is not such JSON (an unknown field is named), a file without
// any section, or a file that names another plan.
absl::StatusOr<PlanEdit> ReadPlanEdit(absl::string_view json, absl::string_view name);

// The parts of a registration its editor may change, as update_mask paths.
const std::vector<std::string>& RegistrationSections();

// What to send to UpdateRegistration.
struct RegistrationEdit {
  // The registration's name and the parts the file gives; nothing else.
  registrations::v1::Registration registration;
  // The parts the file gives, as update_mask paths, in RegistrationSections' order.
  std::vector<std::string> sections;
};

// As ReadPlanEdit, for a ntm.registrations.v1.Registration (or the output of `ntmctl registration
// show --json`, {"registration": {...}}): "model_point", "village_changes", "endorsements".
absl::StatusOr<RegistrationEdit> ReadRegistrationEdit(absl::string_view json,
                                                      absl::string_view name);

}  // namespace ntm::ntmctl

#endif  // NTM_TOOLS_NTMCTL_PLAN_EDIT_H_
