// Every method of every service in proto/ carries a valid authorization rule, and the gateway
// serves every such service: a new contract without rules fails here, not in production.
#include "services/gateway/authz/rule_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/text_format.h"
#include "ntm/assessment/v1/assessment.pb.h"
#include "services/gateway/authz/served_services.h"

namespace ntm::gateway {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

TEST(RuleTableTest, EveryServiceInProtoIsServedAndEveryMethodHasARule) {
  std::set<std::string> served;
  for (const auto* s : ServedServiceDescriptors()) {
    ASSERT_NE(s, nullptr);
    served.insert(s->full_name());
  }
  const fs::path root = fs::path(NTM_SOURCE_DIR) / "proto";
  int files = 0;
  int services = 0;
  int internal = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".proto") {
      continue;
    }
    const std::string name = fs::relative(entry.path(), root).string();
    if (name.rfind("ntm/api/", 0) == 0) {
      continue;  // the option's own definition
    }
    ++files;
    const auto* file = google::protobuf::DescriptorPool::generated_pool()->FindFileByName(name);
    if (file == nullptr) {
      // Only files that declare services must be linked in (data formats need not be).
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      EXPECT_EQ(text.str().find("\nservice "), std::string::npos)
          << name << " declares a service but is not linked into the gateway";
      continue;
    }
    for (int i = 0; i < file->service_count(); ++i) {
      ++services;
      if (IsInternal(file->service(i))) {
        // Only the services call it among themselves: the gateway must not serve it.
        EXPECT_FALSE(served.count(file->service(i)->full_name()))
            << file->service(i)->full_name() << " is internal but served by the gateway";
        ++internal;
        continue;
      }
      EXPECT_TRUE(served.count(file->service(i)->full_name()))
          << file->service(i)->full_name() << " (" << name << ") is not served by the gateway";
    }
  }
  EXPECT_GE(files, 4);
  EXPECT_GE(services, 3);
  EXPECT_EQ(internal, static_cast<int>(InternalServiceDescriptors().size()));
  for (const auto* s : InternalServiceDescriptors()) {
    EXPECT_TRUE(IsInternal(s)) << s->full_name();
  }

  auto table = RuleTable::Compile(ServedServiceDescriptors());
  ASSERT_TRUE(table.ok()) << table.status();
  int methods = 0;
  for (const auto* s : ServedServiceDescriptors()) {
    for (int m = 0; m < s->method_count(); ++m) {
      ++methods;
      const std::string wire = "/" + s->full_name() + "/" + s->method(m)->name();
      const CompiledRule* rule = table->Find(wire);
      ASSERT_NE(rule, nullptr) << wire;
      EXPECT_NE(rule->rule.action(), ntm::api::v1::ACTION_UNSPECIFIED) << wire;
      EXPECT_FALSE(rule->rule.roles().empty()) << wire;
    }
  }
  EXPECT_EQ(static_cast<int>(table->rules().size()), methods);
  EXPECT_EQ(table->Find("/ntm.assessment.v1.AssessmentService/NoSuchMethod"), nullptr);
}

// Builds a one-method service in its own pool, with `option_text` as the method's rule.
class SyntheticService {
 public:
  explicit SyntheticService(const std::string& rule_field_values, bool with_rule = true) {
    google::protobuf::FileDescriptorProto api;
    ntm::api::v1::AuthorizationRule::descriptor()->file()->CopyTo(&api);
    google::protobuf::FileDescriptorProto descriptor_proto;
    google::protobuf::FileDescriptorProto::descriptor()->file()->CopyTo(&descriptor_proto);
    pool_.BuildFile(descriptor_proto);
    pool_.BuildFile(api);
    google::protobuf::FileDescriptorProto f;
    f.set_name("synthetic.proto");
    f.set_package("test.v1");
    f.set_syntax("proto3");
    auto* req = f.add_message_type();
    req->set_name("Req");
    auto* field = req->add_field();
    field->set_name("name");
    field->set_number(1);
    field->set_type(google::protobuf::FieldDescriptorProto::TYPE_STRING);
    field->set_label(google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
    auto* count = req->add_field();
    count->set_name("count");
    count->set_number(2);
    count->set_type(google::protobuf::FieldDescriptorProto::TYPE_INT32);
    count->set_label(google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
    auto* svc = f.add_service();
    svc->set_name("Svc");
    auto* m = svc->add_method();
    m->set_name("Do");
    m->set_input_type(".test.v1.Req");
    m->set_output_type(".test.v1.Req");
    if (with_rule) {
      ntm::api::v1::AuthorizationRule rule;
      EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(rule_field_values, &rule));
      m->mutable_options()->MutableExtension(ntm::api::v1::authorization)->CopyFrom(rule);
    }
    file_ = pool_.BuildFile(f);
  }
  const google::protobuf::ServiceDescriptor* service() const {
    return file_ == nullptr ? nullptr : file_->service(0);
  }

 private:
  google::protobuf::DescriptorPool pool_;
  const google::protobuf::FileDescriptor* file_ = nullptr;
};

TEST(RuleTableTest, RefusesAMethodWithoutARule) {
  // A method in the generated pool without the option: the extension is absent.
  SyntheticService s("", /*with_rule=*/false);
  ASSERT_NE(s.service(), nullptr);
  auto table = RuleTable::Compile({s.service()});
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(table.status().message(), HasSubstr("test.v1.Svc.Do"));
  EXPECT_THAT(table.status().message(), HasSubstr("missing"));
}

TEST(RuleTableTest, RefusesRulesWithoutRolesOrWithBadPaths) {
  {
    SyntheticService s("action: ACTION_READ");
    auto table = RuleTable::Compile({s.service()});
    ASSERT_FALSE(table.ok());
    EXPECT_THAT(table.status().message(), HasSubstr("no role"));
  }
  {
    SyntheticService s("action: ACTION_READ roles: ROLE_COMMUNE_OFFICER unit_field: \"nmae\"");
    auto table = RuleTable::Compile({s.service()});
    ASSERT_FALSE(table.ok());
    EXPECT_THAT(table.status().message(), HasSubstr("no field 'nmae'"));
  }
  {
    SyntheticService s("action: ACTION_READ roles: ROLE_COMMUNE_OFFICER unit_field: \"count\"");
    auto table = RuleTable::Compile({s.service()});
    ASSERT_FALSE(table.ok());
    EXPECT_THAT(table.status().message(), HasSubstr("not a string field"));
  }
  {
    SyntheticService s("roles: ROLE_COMMUNE_OFFICER");
    auto table = RuleTable::Compile({s.service()});
    ASSERT_FALSE(table.ok());
    EXPECT_THAT(table.status().message(), HasSubstr("no action"));
  }
}

TEST(ExtractFactsTest, ReadsUnitIndicatorsAndCriterionFromTheRequest) {
  auto table = RuleTable::Compile(ServedServiceDescriptors());
  ASSERT_TRUE(table.ok());
  const CompiledRule* set = table->Find("/ntm.assessment.v1.AssessmentService/SetIndicatorValues");
  ASSERT_NE(set, nullptr);
  ntm::assessment::v1::SetIndicatorValuesRequest req;
  req.set_name("units/03424/assessments/2023-12-31");
  req.add_values()->set_indicator_code("15.1");
  req.add_values()->set_indicator_code("17.11");
  auto facts = ExtractFacts(*set, req);
  ASSERT_TRUE(facts.ok()) << facts.status();
  EXPECT_EQ(facts->unit_code, "03424");
  EXPECT_THAT(facts->indicators, ::testing::ElementsAre("15.1", "17.11"));

  const CompiledRule* review = table->Find("/ntm.assessment.v1.AssessmentService/ReviewCriterion");
  ntm::assessment::v1::ReviewCriterionRequest r;
  r.set_name("units/03421/assessments/2023-12-31");
  r.set_criterion_code("15");
  facts = ExtractFacts(*review, r);
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->unit_code, "03421");
  EXPECT_EQ(facts->criterion, "15");

  req.set_name("criteriaSets/lai-chau-2022");
  facts = ExtractFacts(*set, req);
  ASSERT_FALSE(facts.ok());
  EXPECT_EQ(facts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(facts.status().message(), HasSubstr("name"));
  req.set_name("units/../assessments/2023-12-31");
  EXPECT_FALSE(ExtractFacts(*set, req).ok());
}

}  // namespace
}  // namespace ntm::gateway
