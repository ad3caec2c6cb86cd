// The gateway's own AccessService through the gateway: the standing office manages its
// district's principals and reads its decision log; nobody edits the log; a deactivated
// principal is refused at once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "ntm/gateway/v1/access.grpc.pb.h"
#include "services/gateway/tests/gateway_env.h"

namespace ntm::gateway {
namespace {

using ntm::assessment::testing::ServiceEnv;
using ntm::gateway::testing::GatewayEnv;
using ::testing::HasSubstr;
namespace av1 = ntm::assessment::v1;
namespace gv1 = ntm::gateway::v1;

class AccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = GatewayEnv::Start();
    ASSERT_NE(env_, nullptr);
    access_ = gv1::AccessService::NewStub(env_->channel());
    assessments_ = av1::AssessmentService::NewStub(env_->channel());
  }

  grpc::Status Create(const std::string& as, const gv1::Principal& p,
                      gv1::CreatePrincipalResponse* out) {
    gv1::CreatePrincipalRequest req;
    *req.mutable_principal() = p;
    return access_->CreatePrincipal(GatewayEnv::As(as).get(), req, out);
  }

  static gv1::Principal Officer(const std::string& id, const std::string& unit) {
    gv1::Principal p;
    p.set_id(id);
    p.set_unit(unit);
    p.add_roles(ntm::api::v1::ROLE_COMMUNE_OFFICER);
    p.set_display_name("Cán bộ địa chính xã Bản Bo");
    return p;
  }

  int64_t Principals() { return env_->GatewayQueryInt("SELECT COUNT(*) FROM principals"); }

  std::unique_ptr<GatewayEnv> env_;
  std::unique_ptr<gv1::AccessService::Stub> access_;
  std::unique_ptr<av1::AssessmentService::Stub> assessments_;
};

TEST_F(AccessTest, TheStandingOfficeRegistersPrincipalsOfItsDistrictOnly) {
  const int64_t before = Principals();
  gv1::CreatePrincipalResponse out;
  grpc::Status s = Create("tam-duong-nnptnt", Officer("dia-chinh-ban-bo", "units/03424"), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.principal().display_name(), "Cán bộ địa chính xã Bản Bo");
  EXPECT_TRUE(out.principal().active());
  EXPECT_EQ(out.principal().updated_by(), "tam-duong-nnptnt");
  EXPECT_EQ(Principals(), before + 1);

  // A commune of another district (Phong Thổ's Lả Nhì Thàng).
  s = Create("tam-duong-nnptnt", Officer("can-bo-khac", "units/03391"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  // A commune officer or a steering member manages nobody.
  s = Create("can-bo-ban-bo", Officer("ban-bo-2", "units/03424"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  s = Create("tam-duong-yte", Officer("ban-bo-3", "units/03424"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // The standing office cannot make a province office.
  gv1::Principal up = Officer("tu-phong", "units/106");
  up.add_roles(ntm::api::v1::ROLE_PROVINCE_OFFICE);
  s = Create("tam-duong-nnptnt", up, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("ROLE_PROVINCE_OFFICE"));
  // Bad input names the field; a second registration of an id is ALREADY_EXISTS.
  s = Create("tam-duong-nnptnt", Officer("Bad Id", "units/03424"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("principal.id"));
  gv1::Principal steering = Officer("yte-2", "units/106");
  steering.clear_roles();
  steering.add_roles(ntm::api::v1::ROLE_STEERING_MEMBER);
  s = Create("tam-duong-nnptnt", steering, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("principal.agency"));
  s = Create("tam-duong-nnptnt", Officer("dia-chinh-ban-bo", "units/03424"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Principals(), before + 1);

  gv1::ListPrincipalsRequest list;
  list.set_parent("units/03424");
  gv1::ListPrincipalsResponse listed;
  s = access_->ListPrincipals(GatewayEnv::As("lai-chau-vpdp").get(), list, &listed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(listed.principals_size(), 2);
  EXPECT_EQ(listed.principals(0).id(), "can-bo-ban-bo");
  EXPECT_EQ(listed.principals(1).id(), "dia-chinh-ban-bo");
}

TEST_F(AccessTest, ADeactivatedPrincipalIsRefusedAtOnce) {
  av1::CreateAssessmentRequest create;
  create.set_parent("units/03424");
  create.set_as_of_date("2023-12-31");
  av1::CreateAssessmentResponse created;
  ASSERT_TRUE(
      assessments_->CreateAssessment(GatewayEnv::As("can-bo-ban-bo").get(), create, &created).ok());

  gv1::UpdatePrincipalRequest update;
  update.mutable_principal()->set_id("can-bo-ban-bo");
  update.mutable_principal()->set_unit("units/03424");
  update.mutable_principal()->set_active(false);
  update.mutable_update_mask()->add_paths("active");
  update.set_etag("v7");
  gv1::UpdatePrincipalResponse updated;
  grpc::Status s =
      access_->UpdatePrincipal(GatewayEnv::As("tam-duong-nnptnt").get(), update, &updated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED) << s.error_message();
  update.set_etag("v1");
  // The unit never changes.
  update.mutable_principal()->set_unit("units/03421");
  s = access_->UpdatePrincipal(GatewayEnv::As("tam-duong-nnptnt").get(), update, &updated);
  EXPECT_NE(s.error_code(), grpc::StatusCode::OK);
  update.mutable_principal()->set_unit("units/03424");
  s = access_->UpdatePrincipal(GatewayEnv::As("tam-duong-nnptnt").get(), update, &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(updated.principal().active());
  EXPECT_EQ(updated.principal().etag(), "v2");

  av1::GetAssessmentRequest get;
  get.set_name(created.assessment().name());
  av1::GetAssessmentResponse got;
  s = assessments_->GetAssessment(GatewayEnv::As("can-bo-ban-bo").get(), get, &got);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("deactivated"));
  EXPECT_EQ(env_->GatewayQueryInt(
                "SELECT COUNT(*) FROM principal_changes WHERE principal_id = 'can-bo-ban-bo'"),
            2);
}

TEST_F(AccessTest, TheDecisionLogRecordsChangesAndDenialsAndCannotBeEdited) {
  av1::CreateAssessmentRequest create;
  create.set_parent("units/03421");
  create.set_as_of_date("2023-12-31");
  av1::CreateAssessmentResponse created;
  // Denied: Bản Bo's officer on Bản Hon. Allowed: Bản Hon's own officer. A read: not logged.
  EXPECT_EQ(assessments_->CreateAssessment(GatewayEnv::As("can-bo-ban-bo").get(), create, &created)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      assessments_->CreateAssessment(GatewayEnv::As("can-bo-ban-hon").get(), create, &created)
          .ok());
  av1::GetAssessmentRequest get;
  get.set_name(created.assessment().name());
  av1::GetAssessmentResponse got;
  ASSERT_TRUE(assessments_->GetAssessment(GatewayEnv::As("can-bo-ban-hon").get(), get, &got).ok());
  EXPECT_EQ(env_->GatewayQueryInt("SELECT COUNT(*) FROM decisions"), 2);

  gv1::ListDecisionsRequest list;
  list.set_unit("units/106");
  gv1::ListDecisionsResponse decisions;
  grpc::Status s =
      access_->ListDecisions(GatewayEnv::As("tam-duong-nnptnt").get(), list, &decisions);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(decisions.decisions_size(), 2);
  // Newest first.
  EXPECT_EQ(decisions.decisions(0).principal(), "can-bo-ban-hon");
  EXPECT_EQ(decisions.decisions(0).outcome(), gv1::OUTCOME_ALLOWED);
  EXPECT_EQ(decisions.decisions(0).unit(), "units/03421");
  EXPECT_EQ(decisions.decisions(1).principal(), "can-bo-ban-bo");
  EXPECT_EQ(decisions.decisions(1).outcome(), gv1::OUTCOME_DENIED);
  EXPECT_EQ(decisions.decisions(1).check(), "unit");
  EXPECT_EQ(decisions.decisions(1).method(),
            "/ntm.assessment.v1.AssessmentService/CreateAssessment");

  // Filters and paging.
  list.set_outcome(gv1::OUTCOME_DENIED);
  ASSERT_TRUE(
      access_->ListDecisions(GatewayEnv::As("tam-duong-nnptnt").get(), list, &decisions).ok());
  ASSERT_EQ(decisions.decisions_size(), 1);
  list.set_outcome(gv1::OUTCOME_UNSPECIFIED);
  list.set_page_size(1);
  ASSERT_TRUE(
      access_->ListDecisions(GatewayEnv::As("tam-duong-nnptnt").get(), list, &decisions).ok());
  ASSERT_EQ(decisions.decisions_size(), 1);
  ASSERT_FALSE(decisions.next_page_token().empty());
  list.set_page_token(decisions.next_page_token());
  ASSERT_TRUE(
      access_->ListDecisions(GatewayEnv::As("tam-duong-nnptnt").get(), list, &decisions).ok());
  ASSERT_EQ(decisions.decisions_size(), 1);
  EXPECT_EQ(decisions.decisions(0).principal(), "can-bo-ban-bo");
  EXPECT_TRUE(decisions.next_page_token().empty());

  // A commune officer does not read the log, and that denial is logged too, against Bản Bo;
  // Bản Bo's log holds neither decision about Bản Hon.
  list.clear_page_token();
  list.set_unit("units/03424");
  s = access_->ListDecisions(GatewayEnv::As("can-bo-ban-bo").get(), list, &decisions);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      access_->ListDecisions(GatewayEnv::As("tam-duong-nnptnt").get(), list, &decisions).ok());
  ASSERT_EQ(decisions.decisions_size(), 1);
  EXPECT_EQ(decisions.decisions(0).method(), "/ntm.gateway.v1.AccessService/ListDecisions");
  EXPECT_EQ(decisions.decisions(0).check(), "role");

  // The database itself refuses to change or remove a decision.
  absl::Status edit = env_->GatewayExec("UPDATE decisions SET allowed = TRUE");
  EXPECT_FALSE(edit.ok());
  EXPECT_THAT(std::string(edit.message()), HasSubstr("append-only"));
  EXPECT_FALSE(env_->GatewayExec("DELETE FROM decisions").ok());
  EXPECT_EQ(env_->GatewayQueryInt("SELECT COUNT(*) FROM decisions WHERE allowed = FALSE"), 2);
}

}  // namespace
}  // namespace ntm::gateway
