// The registrations service over gRPC with the services it asks running for real: requests are
// read field by field, bad input is refused naming the field and stores nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/assessment/tests/integration/integration_helpers.h"
#include "services/assessment/tests/test_env.h"
#include "services/plans/tests/plans_env.h"
#include "services/registrations/tests/registrations_env.h"

namespace ntm::registrations {
namespace {

using assessment::testing::GrpcOk;
using assessment::testing::GrpcStatusIs;
using assessment::testing::SameRows;
using assessment::testing::ServiceEnv;
using ::testing::AllOf;
using ::testing::HasSubstr;
namespace pv1 = ::ntm::plans::v1;
namespace rv1 = ::ntm::registrations::v1;

constexpr char kDirective[] = "units/106/directives/tam-duong-2024";
constexpr char kBanBoRegistration[] = "units/03424/registrations/tam-duong-2024";

class RegistrationsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    assessment_ = ServiceEnv::Start();
    ASSERT_NE(assessment_, nullptr);
    const std::string a = absl::StrCat("127.0.0.1:", assessment_->port());
    plans_ = plans::testing::PlansEnv::Start(a, &assessment_->clock());
    ASSERT_NE(plans_, nullptr);
    env_ = testing::RegistrationsEnv::Start(a, absl::StrCat("127.0.0.1:", plans_->port()),
                                            &assessment_->clock());
    ASSERT_NE(env_, nullptr);
    pv1::CreateDirectiveRequest req;
    req.set_parent("units/106");
    req.set_directive_id("tam-duong-2024");
    req.mutable_directive()->set_document_number("01/UBND-NN&PTNT");
    req.mutable_directive()->set_issue_date("2024-01-15");
    req.mutable_directive()->set_year(2024);
    req.mutable_directive()->mutable_deadline()->set_seconds(1707584399);
    req.mutable_directive()->add_deliverables(pv1::DELIVERABLE_REGISTRATION);
    req.mutable_directive()->add_addressed_units()->set_unit("units/03424");
    pv1::CreateDirectiveResponse resp;
    ASSERT_THAT(plans_->directives().CreateDirective(ServiceEnv::Context("tam-duong-nnptnt").get(),
                                                     req, &resp),
                GrpcOk());
  }

  grpc::Status Update(const rv1::Registration& r, std::vector<std::string> paths,
                      rv1::Registration* out = nullptr) {
    rv1::UpdateRegistrationRequest req;
    *req.mutable_registration() = r;
    for (const std::string& p : paths) req.mutable_update_mask()->add_paths(p);
    rv1::UpdateRegistrationResponse resp;
    grpc::Status s = env_->registrations().UpdateRegistration(
        ServiceEnv::Context("can-bo-ban-bo").get(), req, &resp);
    if (out != nullptr) *out = resp.registration();
    return s;
  }

  std::unique_ptr<ServiceEnv> assessment_;
  std::unique_ptr<plans::testing::PlansEnv> plans_;
  std::unique_ptr<testing::RegistrationsEnv> env_;
};

TEST_F(RegistrationsServiceTest, BadInputIsNamedAndStoresNothingThenACompleteOneIsSent) {
  rv1::CreateRegistrationRequest create;
  create.set_parent("units/03424");
  create.set_directive(kDirective);
  rv1::CreateRegistrationResponse created;
  ASSERT_THAT(env_->registrations().CreateRegistration(ServiceEnv::Context("can-bo-ban-bo").get(),
                                                       create, &created),
              GrpcOk());
  const rv1::Registration r = created.registration();
  EXPECT_EQ(r.name(), kBanBoRegistration);
  ASSERT_GT(r.villages_size(), 0);
  EXPECT_FALSE(r.villages(0).registered());
  EXPECT_GT(r.missing_size(), 0);
  const std::string before = env_->Snapshot();

  rv1::Registration bad;
  bad.set_name(kBanBoRegistration);
  bad.mutable_model_point();  // a model point without content
  rv1::VillageChange* other = bad.add_village_changes();
  other->set_village("units/03421001");
  other->set_content("Bản của xã khác");
  rv1::VillageChange* empty = bad.add_village_changes();
  empty->set_village(r.villages(0).village());
  rv1::Endorsement* e = bad.add_endorsements();
  e->set_body(rv1::ENDORSEMENT_BODY_PARTY_COMMITTEE);
  e->set_signed_by("Bí thư");
  e->set_date("25/01/2024");
  EXPECT_THAT(Update(bad, {"endorsements"}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("registration.endorsements[0].date")));
  e->set_date("2024-01-25");
  EXPECT_THAT(Update(bad, {"model_point", "village_changes", "endorsements"}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           AllOf(HasSubstr("registration.model_point.content"),
                                 HasSubstr("registration.village_changes[0].village: "
                                           "units/03421001 is not a village of the commune"),
                                 HasSubstr("registration.village_changes[1].content"))));
  EXPECT_THAT(Update(bad, {"budget"}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("update_mask")));
  rv1::SubmitRegistrationRequest submit;
  submit.set_name(kBanBoRegistration);
  rv1::SubmitRegistrationResponse submitted;
  EXPECT_THAT(env_->registrations().SubmitRegistration(ServiceEnv::Context("can-bo-ban-bo").get(),
                                                       submit, &submitted),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION,
                           AllOf(HasSubstr("model_point"), HasSubstr("has not endorsed it"))));
  EXPECT_THAT(env_->registrations().CreateRegistration(ServiceEnv::Context("can-bo-ban-bo").get(),
                                                       create, &created),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS, HasSubstr("one model point")));
  EXPECT_TRUE(SameRows(before, env_->Snapshot()));

  // Complete: the model point, every village, the four bodies; then it can be sent.
  rv1::Registration good;
  good.set_name(kBanBoRegistration);
  good.mutable_model_point()->set_content("Bản sáng - xanh - sạch - đẹp, an toàn Nà Khương");
  for (const rv1::VillageStatus& v : r.villages()) {
    rv1::VillageChange* c = good.add_village_changes();
    c->set_village(v.village());
    c->set_content(absl::StrCat("Đường hoa ", v.village_display_name()));
  }
  for (int b = rv1::ENDORSEMENT_BODY_PARTY_COMMITTEE; b <= rv1::ENDORSEMENT_BODY_STEERING_COMMITTEE;
       ++b) {
    rv1::Endorsement* x = good.add_endorsements();
    x->set_body(static_cast<rv1::EndorsementBody>(b));
    x->set_signed_by("Lò Văn B");
    x->set_date("2024-01-25");
  }
  rv1::Registration after;
  ASSERT_THAT(Update(good, {"model_point", "village_changes", "endorsements"}, &after), GrpcOk());
  EXPECT_EQ(after.missing_size(), 0);
  EXPECT_TRUE(after.villages(0).registered());
  EXPECT_EQ(after.village_changes(0).village_display_name(), r.villages(0).village_display_name());
  ASSERT_THAT(env_->registrations().SubmitRegistration(ServiceEnv::Context("can-bo-ban-bo").get(),
                                                       submit, &submitted),
              GrpcOk());
  EXPECT_EQ(submitted.registration().state(), rv1::REGISTRATION_STATE_SUBMITTED);
  EXPECT_FALSE(submitted.registration().submitted_late());

  rv1::GetRegistrationStatusRequest status_req;
  status_req.set_directive(kDirective);
  rv1::GetRegistrationStatusResponse status;
  ASSERT_THAT(env_->registrations().GetRegistrationStatus(
                  ServiceEnv::Context("tam-duong-nnptnt").get(), status_req, &status),
              GrpcOk());
  ASSERT_EQ(status.units_size(), 1);
  EXPECT_EQ(status.units(0).progress(), rv1::REGISTRATION_PROGRESS_COMPLETE);
  EXPECT_EQ(status.complete(), 1);
  EXPECT_EQ(status.villages_missing(), 0);
}

}  // namespace
}  // namespace ntm::registrations
