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

// The field of `descriptor` a top-level JSON key names, by its .proto name or its JSON name; null
// if none.
const google::protobuf::FieldDescriptor* FieldOf(const google::protobuf::Descriptor* descriptor,
                                                 const std::string& key) {
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->name() == key || field->json_name() == key) {
      return field;
    }
  }
  return nullptr;
}

// What differs between the documents an edit file can carry.
struct DocumentKind {
  // The key of the document in a Get…Response printed by `show --json`: "plan".
  const char* wrapper;
  // Its name in messages: "kế hoạch".
  const char* noun;
  // The message when the file is not such a document.
  const char* not_a;
  const std::vector<std::string>* sections;
};

// Reads the document named `name` from `json` into `out` (only its name and the sections the file
// gives), and those sections into `sections`. `document` is an empty message of the document's
// type, used to parse the file.
absl::Status ReadEdit(absl::string_view json, absl::string_view name, const DocumentKind& kind,
                      google::protobuf::Message* document, google::protobuf::Message* out,
                      std::vector<std::string>* sections) {
  // Which keys the file has: the typed message cannot tell an empty section from a missing one.
  google::protobuf::Struct keys;
  if (absl::Status status = ParseJson(json, &keys, "tệp không phải là một đối tượng JSON ({...})");
      !status.ok()) {
    return status;
  }
  const google::protobuf::Struct* top = &keys;
  const auto wrapped = keys.fields().find(kind.wrapper);
  if (keys.fields().size() == 1 && wrapped != keys.fields().end() &&
      wrapped->second.has_struct_value()) {
    // `show --json` prints a Get…Response: the document is the one field.
    top = &wrapped->second.struct_value();
    std::string inner;
    if (!google::protobuf::util::MessageToJsonString(*top, &inner).ok()) {
      return absl::InvalidArgumentError(kind.not_a);
    }
    if (absl::Status status = ParseJson(inner, document, kind.not_a); !status.ok()) {
      return status;
    }
  } else if (absl::Status status = ParseJson(json, document, kind.not_a); !status.ok()) {
    return status;
  }

  const google::protobuf::Descriptor* descriptor = document->GetDescriptor();
  const google::protobuf::Reflection* reflection = document->GetReflection();
  const google::protobuf::FieldDescriptor* name_field = descriptor->FindFieldByName("name");
  const std::string given = reflection->GetString(*document, name_field);
  if (!given.empty() && given != name) {
    return absl::InvalidArgumentError(
        absl::StrFormat("tệp là %s %s, không phải %s", kind.noun, given, name));
  }
  std::set<std::string> present;
  for (const auto& [key, value] : top->fields()) {
    if (const google::protobuf::FieldDescriptor* field = FieldOf(descriptor, key);
        field != nullptr) {
      present.insert(field->name());
    }
  }
  out->Clear();
  reflection->SetString(out, name_field, std::string(name));
  for (const std::string& section : *kind.sections) {
    if (!present.contains(section)) {
      continue;
    }
    sections->push_back(section);
    reflection->SwapFields(document, out, {descriptor->FindFieldByName(section)});
  }
  if (sections->empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("tệp không có phần nào để sửa; cần ít nhất một trong: ",
                     absl::StrJoin(*kind.sections, ", ")));
  }
  return absl::OkStatus();
}

}  // namespace

const std::vector<std::string>& PlanSections() {
  static const auto* const kSections = new std::vector<std::string>{
      "status_summary", "targets", "tasks", "funding", "solutions", "organisation"};
  return *kSections;
}

const std::vector<std::string>& RegistrationSections() {
  static const auto* const kSections =
      new std::vector<std::string>{"model_point", "village_changes", "endorsements"};
  return *kSections;
}

absl::StatusOr<PlanEdit> ReadPlanEdit(absl::string_view json, absl::string_view name) {
  static const DocumentKind kPlan{
      "plan", "kế hoạch", "không đọc được kế hoạch (ntm.plans.v1.Plan dạng JSON của protobuf)",
      &PlanSections()};
  plans::v1::Plan document;
  PlanEdit edit;
  if (absl::Status s = ReadEdit(json, name, kPlan, &document, &edit.plan, &edit.sections);
      !s.ok()) {
    return s;
  }
  return edit;
}

absl::StatusOr<RegistrationEdit> ReadRegistrationEdit(absl::string_view json,
                                                      absl::string_view name) {
  static const DocumentKind kRegistration{
      "registration", "bản đăng ký",
      "không đọc được bản đăng ký (ntm.registrations.v1.Registration dạng JSON của protobuf)",
      &RegistrationSections()};
  registrations::v1::Registration document;
  RegistrationEdit edit;
  if (absl::Status s =
          ReadEdit(json, name, kRegistration, &document, &edit.registration, &edit.sections);
      !s.ok()) {
    return s;
  }
  return edit;
}

}  // namespace ntm::ntmctl
