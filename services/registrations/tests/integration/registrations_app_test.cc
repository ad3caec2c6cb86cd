// The registrations use cases with the services they depend on running for real: the assessment
// service (villages, catalog) and the plans service (the directive and its deadlines), each on its
// own schema, over gRPC on loopback; the registrations' own schema beside them.
#include "services/registrations/app/registrations_app.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/assessment/tests/test_env.h"
#include "services/plans/tests/plans_env.h"

namespace ntm::registrations {
namespace {

using assessment::testing::ServiceEnv;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::SizeIs;
namespace pv1 = ::ntm::plans::v1;

const absl::TimeZone kVietnam = absl::FixedTimeZone(7 * 3600);
absl::Time Local(int y, int m, int d, int hh = 8) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0), kVietnam);
}
const Caller kBanBo{"can-bo-ban-bo", ""};
const Caller kOffice{"tam-duong-nnptnt", "agencies/tam-duong-nnptnt"};

class RegistrationsAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    assessment_ = ServiceEnv::Start();
    ASSERT_NE(assessment_, nullptr);
    assessment_->clock().Set(Local(2024, 1, 15));
    const std::string target = absl::StrCat("127.0.0.1:", assessment_->port());
    plans_ = plans::testing::PlansEnv::Start(target, &assessment_->clock());
    ASSERT_NE(plans_, nullptr);
    auto pool = db::ConnectionPool::Create(assessment::testing::TestDbOptions());
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
    ASSERT_TRUE(db::ApplyMigrations(*pool_, db::RegistrationsMigrations()).ok());
    repo_ = std::make_unique<MySqlRegistrationRepository>(pool_.get());
    assessment_client_ = std::make_unique<assessment::client::GrpcAssessmentClient>(
        assessment_->channel(), target, absl::Seconds(3));
    directive_client_ = std::make_unique<plans::client::GrpcDirectiveClient>(
        plans_->channel(), "plans", absl::Seconds(3));
    app_ = std::make_unique<RegistrationsApp>(repo_.get(), directive_client_.get(),
                                              assessment_client_.get(), &assessment_->clock());
    // The seed's directive, to three communes, plan and registration by 10/02/2024.
    pv1::CreateDirectiveRequest req;
    req.set_parent("units/106");
    req.set_directive_id("tam-duong-2024");
    req.mutable_directive()->set_document_number("01/UBND-NN&PTNT");
    req.mutable_directive()->set_issue_date("2024-01-15");
    req.mutable_directive()->set_year(2024);
    req.mutable_directive()->mutable_deadline()->set_seconds(
        absl::ToUnixSeconds(Local(2024, 2, 10, 23) + absl::Minutes(59) + absl::Seconds(59)));
    req.mutable_directive()->add_deliverables(pv1::DELIVERABLE_PLAN);
    req.mutable_directive()->add_deliverables(pv1::DELIVERABLE_REGISTRATION);
    for (const char* u : {"units/03424", "units/03421", "units/03412"}) {
      req.mutable_directive()->add_addressed_units()->set_unit(u);
    }
    pv1::CreateDirectiveResponse resp;
    ASSERT_TRUE(plans_->directives()
                    .CreateDirective(ServiceEnv::Context("tam-duong-nnptnt").get(), req, &resp)
                    .ok());
  }
  void TearDown() override {
    if (pool_ != nullptr) assessment::testing::DropSchema(*pool_);
  }

  int64_t Count(const std::string& sql) { return assessment::testing::QueryIntOn(*pool_, sql); }

  // A complete content for a registration's villages.
  static RegistrationUpdate Complete(const Registration& r) {
    RegistrationUpdate u;
    u.model_point = ModelPoint{
        "Bản sáng - xanh - sạch - đẹp, an toàn", "Bản Nà Khương", "Môi trường", {"17.3", "17.11"}};
    std::vector<VillageChange> changes;
    for (const Village& v : r.villages) {
      changes.push_back({v.code,
                         absl::StrCat("Đường hoa ", v.display_name),
                         "",
                         {"17.3"},
                         "Chưa có hàng rào xanh",
                         "Hai bên đường trồng hoa"});
    }
    u.changes = changes;
    std::vector<Endorsement> endorsements;
    for (EndorsementBody b : kAllBodies) {
      endorsements.push_back({b, "Lò Văn B, Chủ tịch", absl::CivilDay(2024, 1, 25)});
    }
    u.endorsements = endorsements;
    return u;
  }

  std::unique_ptr<ServiceEnv> assessment_;
  std::unique_ptr<plans::testing::PlansEnv> plans_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<MySqlRegistrationRepository> repo_;
  std::unique_ptr<assessment::client::GrpcAssessmentClient> assessment_client_;
  std::unique_ptr<plans::client::GrpcDirectiveClient> directive_client_;
  std::unique_ptr<RegistrationsApp> app_;
};

TEST_F(RegistrationsAppTest, ACommuneRegistersEveryVillageAndSubmitsOnTime) {
  auto created = app_->Create(kBanBo, "03424", "106", "tam-duong-2024");
  ASSERT_TRUE(created.ok()) << created.status();
  const Registration& r = created->registration;
  EXPECT_EQ(r.unit_display_name, "Xã Bản Bo");
  EXPECT_EQ(r.year, 2024);
  ASSERT_THAT(r.villages, ::testing::Not(::testing::IsEmpty()));
  EXPECT_EQ(r.unit_path, "/12/106/03424/");
  EXPECT_THAT(created->missing, ::testing::Contains(HasSubstr("model_point")));
  ASSERT_TRUE(created->deadline.has_value());

  // Submitting before it is complete lists what is missing and changes nothing.
  auto early =
      app_->Transition(kBanBo, "03424", "tam-duong-2024", plans::PlanAction::kSubmit, 0, "");
  EXPECT_TRUE(absl::IsFailedPrecondition(early.status())) << early.status();
  EXPECT_THAT(std::string(early.status().message()),
              AllOf(HasSubstr("has no change registered"), HasSubstr("Đảng ủy xã")));

  // A village of another commune is refused by name.
  RegistrationUpdate bad = Complete(r);
  bad.changes->push_back({"03421001", "Bản của xã khác", "", {}, "", ""});
  auto refused = app_->Update(kBanBo, "03424", "tam-duong-2024", bad, 0);
  EXPECT_TRUE(absl::IsInvalidArgument(refused.status())) << refused.status();
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("registration.village_changes"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM village_changes"), 0);

  auto updated = app_->Update(kBanBo, "03424", "tam-duong-2024", Complete(r), 0);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_THAT(updated->missing, ::testing::IsEmpty());
  assessment_->clock().Set(Local(2024, 2, 5));
  auto submitted =
      app_->Transition(kBanBo, "03424", "tam-duong-2024", plans::PlanAction::kSubmit, 0, "");
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_FALSE(submitted->registration.submitted_late);

  // The district's view the morning after the deadline.
  assessment_->clock().Set(Local(2024, 2, 11));
  auto status = app_->Status(kOffice, "106", "tam-duong-2024");
  ASSERT_TRUE(status.ok()) << status.status();
  ASSERT_THAT(status->units, SizeIs(3));
  for (const UnitRegistrationView& u : status->units) {
    if (u.unit_code == "03424") {
      EXPECT_THAT(u.villages_missing, ::testing::IsEmpty());
      EXPECT_FALSE(u.overdue);
    } else {
      EXPECT_FALSE(u.registration.has_value());
      EXPECT_THAT(u.villages_missing, ::testing::Not(::testing::IsEmpty())) << u.unit_code;
      EXPECT_EQ(u.villages_missing.size(), u.villages.size());
      EXPECT_TRUE(u.overdue);
    }
  }

  // The district takes Bản Bo's model point as its own.
  auto chosen = app_->ChooseModelPoint(kOffice, "106", "tam-duong-2024", std::string("03424"),
                                       std::nullopt, "Mô hình tiêu biểu của huyện");
  ASSERT_TRUE(chosen.ok()) << chosen.status();
  EXPECT_EQ(chosen->model_point.content, "Bản sáng - xanh - sạch - đẹp, an toàn");
  EXPECT_EQ(app_->GetModelPoint("106", "tam-duong-2024")->registration_id, "tam-duong-2024.03424");
}

TEST_F(RegistrationsAppTest, WithoutThePlansServiceNothingIsCreated) {
  auto lonely = std::make_unique<plans::client::GrpcDirectiveClient>(
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()), "127.0.0.1:1",
      absl::Milliseconds(500));
  RegistrationsApp app(repo_.get(), lonely.get(), assessment_client_.get(), &assessment_->clock());
  auto created = app.Create(kBanBo, "03424", "106", "tam-duong-2024");
  EXPECT_TRUE(absl::IsUnavailable(created.status())) << created.status();
  EXPECT_THAT(std::string(created.status().message()), HasSubstr("plans service"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM registrations"), 0);
  // A commune the directive does not address, and a second registration for the year.
  EXPECT_TRUE(
      absl::IsFailedPrecondition(app_->Create(kBanBo, "03390", "106", "tam-duong-2024").status()));
  ASSERT_TRUE(app_->Create(kBanBo, "03424", "106", "tam-duong-2024").ok());
  EXPECT_TRUE(
      absl::IsAlreadyExists(app_->Create(kBanBo, "03424", "106", "tam-duong-2024").status()));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM registrations"), 1);
}

}  // namespace
}  // namespace ntm::registrations
