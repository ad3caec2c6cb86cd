#include "tools/ntmctl/plan_edit.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace ntm::ntmctl {
namespace {

namespace v1 = ::ntm::plans::v1;

// Parses `json` into `message`; unknown fields are errors. The error says what is wrong as the
// protobuf library words it, after `what`.
absl::Status ParseJson(absl::string_view json, google::protobuf::Message* message,
                       absl::string_view what) {
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), message);
  if (status.ok()) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": ", std::string(status.message().data(), status.message().size())));
}

constexpr char kNotAPlan[] = "không đọc được kế hoạch (ntm.plans.v1.Plan dạng JSON của protobuf)";

// The Plan field a top-level JSON key names, by its .proto name or its JSON name; null if none.
const google::protobuf::FieldDescriptor* PlanField(const std::string& key) {
  const google::protobuf::Descriptor* descriptor = v1::Plan::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->name() == key || field->json_name() == key) {
      return field;
    }
  }
  return nullptr;
}

}  // namespace

const std::vector<std::string>& PlanSections() {
  static const auto* const kSections = new std::vector<std::string>{
      "status_summary", "targets", "tasks", "funding", "solutions", "organisation"};
  return *kSections;
}

absl::StatusOr<PlanEdit> ReadPlanEdit(absl::string_view json, absl::string_view name) {
  // Which keys the file has: the typed message cannot tell an empty section from a missing one.
  google::protobuf::Struct keys;
  if (absl::Status status = ParseJson(json, &keys, "tệp không phải là một đối tượng JSON ({...})");
      !status.ok()) {
    return status;
  }
  v1::Plan plan;
  const google::protobuf::Struct* top = &keys;
  const auto wrapped = keys.fields().find("plan");
  if (keys.fields().size() == 1 && wrapped != keys.fields().end() &&
      wrapped->second.has_struct_value()) {
    // `plan show --json` prints a GetPlanResponse.
    v1::GetPlanResponse response;
    if (absl::Status status = ParseJson(json, &response, kNotAPlan); !status.ok()) {
      return status;
    }
    plan = std::move(*response.mutable_plan());
    top = &wrapped->second.struct_value();
  } else if (absl::Status status = ParseJson(json, &plan, kNotAPlan); !status.ok()) {
    return status;
  }

  if (!plan.name().empty() && plan.name() != name) {
    return absl::InvalidArgumentError(
        absl::StrFormat("tệp là kế hoạch %s, không phải %s", plan.name(), name));
  }
  std::set<std::string> present;
  for (const auto& [key, value] : top->fields()) {
    if (const google::protobuf::FieldDescriptor* field = PlanField(key); field != nullptr) {
      present.insert(field->name());
    }
  }
  PlanEdit edit;
  edit.plan.set_name(std::string(name));
  const google::protobuf::Reflection* reflection = v1::Plan::GetReflection();
  const google::protobuf::Descriptor* descriptor = v1::Plan::descriptor();
  for (const std::string& section : PlanSections()) {
    if (!present.contains(section)) {
      continue;
    }
    edit.sections.push_back(section);
    reflection->SwapFields(&plan, &edit.plan, {descriptor->FindFieldByName(section)});
  }
  if (edit.sections.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("tệp không có phần nào để sửa; cần ít nhất một trong: ",
                     absl::StrJoin(PlanSections(), ", ")));
  }
  return edit;
}

}  // namespace ntm::ntmctl
