// The plans service end to end, with both services running: the real assessment service (its
// directory, catalog and a commune's submitted assessment) and the real plans service asking it
// over gRPC, each on its own fresh schema of the MariaDB tests/run started. Calls carry the
// identity headers the gateway would set; the gateway's own checks are tested with the gateway.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/assessment/tests/integration/integration_helpers.h"
#include "services/assessment/tests/test_env.h"
#include "services/plans/storage/directive_repository.h"
#include "services/plans/tests/integration/plans_db.h"
#include "services/plans/tests/plans_env.h"

namespace ntm::plans {
namespace {

using assessment::testing::BoolValue;
using assessment::testing::GrpcOk;
using assessment::testing::GrpcStatusIs;
using assessment::testing::SameRows;
using assessment::testing::ServiceEnv;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::kDeadline;
namespace av1 = ::ntm::assessment::v1;
namespace pv1 = ::ntm::plans::v1;

constexpr char kDirective[] = "units/106/directives/tam-duong-2024";
constexpr char kBanBoPlan[] = "units/03424/plans/tam-duong-2024";
constexpr char kOffice[] = "tam-duong-nnptnt";

absl::Time Local(int y, int m, int d, int hh = 8, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), testing::kVietnam);
}

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  out->set_seconds(absl::ToUnixSeconds(t));
}

class PlansServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    assessment_ = ServiceEnv::Start();
    ASSERT_NE(assessment_, nullptr);
    assessment_->clock().Set(Local(2024, 1, 12));
    plans_ = testing::PlansEnv::Start(absl::StrCat("127.0.0.1:", assessment_->port()),
                                      &assessment_->clock());
    ASSERT_NE(plans_, nullptr);
  }

  // The seed's directive, issued by the standing office; `units` empty: every commune.
  grpc::Status IssueDirective(std::vector<std::string> units, pv1::Directive* out = nullptr) {
    pv1::CreateDirectiveRequest req;
    req.set_parent("units/106");
    req.set_directive_id("tam-duong-2024");
    pv1::Directive* d = req.mutable_directive();
    d->set_document_number("125/UBND-NN");
    d->set_issue_date("2024-01-10");
    d->set_year(2024);
    SetTimestamp(kDeadline, d->mutable_deadline());
    d->add_deliverables(pv1::DELIVERABLE_PLAN);
    d->add_deliverables(pv1::DELIVERABLE_REGISTRATION);
    for (const char* code : {"13.3", "13.5", "15.1", "17.3", "17.6", "17.7", "17.11"}) {
      d->add_focus_indicators(code);
    }
    d->set_title("Xây dựng kế hoạch thực hiện Chương trình nông thôn mới năm 2024");
    for (const std::string& u : units) {
      d->add_addressed_units()->set_unit(u);
    }
    pv1::CreateDirectiveResponse resp;
    grpc::Status s =
        plans_->directives().CreateDirective(ServiceEnv::Context(kOffice).get(), req, &resp);
    if (out != nullptr) {
      *out = resp.directive();
    }
    return s;
  }

  // The commune assesses itself as of 31/12/2023 with 1.1 and 1.2 met, and submits.
  void SubmitAssessment(const std::string& unit, const std::string& officer) {
    av1::CreateAssessmentRequest create;
    create.set_parent(unit);
    create.set_as_of_date("2023-12-31");
    av1::CreateAssessmentResponse created;
    ASSERT_THAT(assessment_->assessments().CreateAssessment(ServiceEnv::Context(officer).get(),
                                                            create, &created),
                GrpcOk());
    av1::SetIndicatorValuesRequest set;
    set.set_name(created.assessment().name());
    set.set_etag(created.assessment().etag());
    *set.add_values() = BoolValue("1.1", true);
    *set.add_values() = BoolValue("1.2", true);
    av1::SetIndicatorValuesResponse values;
    ASSERT_THAT(assessment_->assessments().SetIndicatorValues(ServiceEnv::Context(officer).get(),
                                                              set, &values),
                GrpcOk());
    av1::SubmitAssessmentRequest submit;
    submit.set_name(created.assessment().name());
    submit.set_etag(values.assessment().etag());
    av1::SubmitAssessmentResponse submitted;
    ASSERT_THAT(assessment_->assessments().SubmitAssessment(ServiceEnv::Context(officer).get(),
                                                            submit, &submitted),
                GrpcOk());
  }

  grpc::Status CreatePlan(const std::string& unit, const std::string& officer,
                          pv1::Plan* out = nullptr) {
    pv1::CreatePlanRequest req;
    req.set_parent(unit);
    req.set_directive(kDirective);
    pv1::CreatePlanResponse resp;
    grpc::Status s = plans_->plans().CreatePlan(ServiceEnv::Context(officer).get(), req, &resp);
    if (out != nullptr) {
      *out = resp.plan();
    }
    return s;
  }

  grpc::Status Update(const pv1::Plan& plan, std::vector<std::string> paths,
                      pv1::Plan* out = nullptr) {
    pv1::UpdatePlanRequest req;
    *req.mutable_plan() = plan;
    for (const std::string& p : paths) {
      req.mutable_update_mask()->add_paths(p);
    }
    pv1::UpdatePlanResponse resp;
    grpc::Status s =
        plans_->plans().UpdatePlan(ServiceEnv::Context("can-bo-ban-bo").get(), req, &resp);
    if (out != nullptr) {
      *out = resp.plan();
    }
    return s;
  }

  grpc::Status Submit(const std::string& name, const std::string& officer,
                      pv1::Plan* out = nullptr) {
    pv1::SubmitPlanRequest req;
    req.set_name(name);
    pv1::SubmitPlanResponse resp;
    grpc::Status s = plans_->plans().SubmitPlan(ServiceEnv::Context(officer).get(), req, &resp);
    if (out != nullptr) {
      *out = resp.plan();
    }
    return s;
  }

  grpc::Status Status(pv1::GetSubmissionStatusResponse* out) {
    pv1::GetSubmissionStatusRequest req;
    req.set_directive(kDirective);
    return plans_->plans().GetSubmissionStatus(ServiceEnv::Context(kOffice).get(), req, out);
  }

  // Tasks and funding that add up: 1 250 000 000 đồng.
  static void FillContent(pv1::Plan* p) {
    pv1::Task* t = p->add_tasks();
    t->set_content_group(pv1::CONTENT_GROUP_INFRASTRUCTURE);
    t->set_content("Cứng hóa 2,5 km đường trục bản Nà Khương");
    t->set_responsible("UBND xã Bản Bo, Ban quản lý xây dựng NTM xã");
    t->set_start_date("2024-03-01");
    t->set_end_date("2024-10-31");
    t->add_indicator_codes("2.1");
    t->set_cost_dong(1'000'000'000);
    pv1::Funding* f = p->mutable_funding();
    f->set_total_dong(1'250'000'000);
    auto group = [&](pv1::ContentGroup g, int64_t amount) {
      pv1::GroupAmount* a = f->add_by_group();
      a->set_content_group(g);
      a->set_amount_dong(amount);
    };
    auto source = [&](pv1::FundingSource s, int64_t amount) {
      pv1::SourceAmount* a = f->add_by_source();
      a->set_source(s);
      a->set_amount_dong(amount);
    };
    group(pv1::CONTENT_GROUP_INFRASTRUCTURE, 1'000'000'000);
    group(pv1::CONTENT_GROUP_CULTURE_SOCIETY_ENVIRONMENT, 250'000'000);
    source(pv1::FUNDING_SOURCE_NTM_PROGRAM, 900'000'000);
    source(pv1::FUNDING_SOURCE_ETHNIC_MINORITY, 200'000'000);
    source(pv1::FUNDING_SOURCE_COMMUNITY, 150'000'000);
    p->set_solutions("Huy động nhân dân hiến đất, góp công lao động");
    p->set_organisation("Ban chỉ đạo xã phân công thành viên phụ trách từng bản");
  }

  std::unique_ptr<ServiceEnv> assessment_;
  std::unique_ptr<testing::PlansEnv> plans_;
};

TEST_F(PlansServiceTest, DirectiveAddressesEveryCommuneOfTheDistrictByDefault) {
  pv1::Directive d;
  ASSERT_THAT(IssueDirective({}, &d), GrpcOk());
  EXPECT_EQ(d.name(), kDirective);
  EXPECT_EQ(d.deadline_local(), "2024-02-10T23:59:59+07:00");
  ASSERT_EQ(d.addressed_units_size(), 13);
  EXPECT_EQ(d.addressed_units(0).unit(), "units/03390");
  for (const pv1::AddressedUnit& u : d.addressed_units()) {
    EXPECT_EQ(u.deadline_local(), "2024-02-10T23:59:59+07:00");
    EXPECT_FALSE(u.extended());
  }
  EXPECT_EQ(plans_->QueryInt("SELECT COUNT(*) FROM directive_units WHERE display_name = "
                             "'Xã Bản Bo'"),
            1);
  EXPECT_EQ(plans_->QueryInt("SELECT COUNT(*) FROM outbox WHERE event_type = 'directive.created'"),
            1);
  EXPECT_THAT(IssueDirective({}),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS, HasSubstr("directive_id")));

  pv1::GetDirectiveRequest get;
  get.set_name("units/105/directives/tam-duong-2024");
  pv1::GetDirectiveResponse got;
  EXPECT_THAT(plans_->directives().GetDirective(ServiceEnv::Context(kOffice).get(), get, &got),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("units/105/directives")));
}

TEST_F(PlansServiceTest, TheLongestDirectiveIdWorksThroughExtensionsAndPlans) {
  const std::string id(40, 'd');
  pv1::CreateDirectiveRequest req;
  req.set_parent("units/106");
  req.set_directive_id(id + "x");
  pv1::Directive* d = req.mutable_directive();
  d->set_document_number("02/UBND-NN&PTNT");
  d->set_issue_date("2024-01-10");
  d->set_year(2024);
  SetTimestamp(kDeadline, d->mutable_deadline());
  d->add_deliverables(pv1::DELIVERABLE_PLAN);
  pv1::CreateDirectiveResponse resp;
  EXPECT_THAT(plans_->directives().CreateDirective(ServiceEnv::Context(kOffice).get(), req, &resp),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("directive_id: 3-40")));
  req.set_directive_id(id);
  ASSERT_THAT(plans_->directives().CreateDirective(ServiceEnv::Context(kOffice).get(), req, &resp),
              GrpcOk());
  pv1::ExtendDeadlineRequest extend;
  extend.set_name(resp.directive().name());
  extend.set_unit("units/03424");
  SetTimestamp(Local(2024, 2, 15), extend.mutable_deadline());
  extend.set_reason("Gia hạn");
  pv1::ExtendDeadlineResponse extended;
  EXPECT_THAT(
      plans_->directives().ExtendDeadline(ServiceEnv::Context(kOffice).get(), extend, &extended),
      GrpcOk());
  ASSERT_NO_FATAL_FAILURE(SubmitAssessment("units/03424", "can-bo-ban-bo"));
  pv1::CreatePlanRequest create;
  create.set_parent("units/03424");
  create.set_directive(resp.directive().name());
  pv1::CreatePlanResponse created;
  ASSERT_THAT(
      plans_->plans().CreatePlan(ServiceEnv::Context("can-bo-ban-bo").get(), create, &created),
      GrpcOk());
  pv1::SubmitPlanRequest submit;
  submit.set_name(created.plan().name());
  pv1::SubmitPlanResponse submitted;
  EXPECT_THAT(
      plans_->plans().SubmitPlan(ServiceEnv::Context("can-bo-ban-bo").get(), submit, &submitted),
      GrpcOk());
  // A deadline a TIMESTAMP column cannot hold is refused by name.
  SetTimestamp(absl::FromCivil(absl::CivilDay(2040, 1, 1), testing::kVietnam),
               extend.mutable_deadline());
  EXPECT_THAT(
      plans_->directives().ExtendDeadline(ServiceEnv::Context(kOffice).get(), extend, &extended),
      GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("deadline")));
}

TEST_F(PlansServiceTest, DirectiveBadInputIsNamedAndStoresNothing) {
  const std::string before = plans_->Snapshot();
  pv1::CreateDirectiveRequest req;
  req.set_parent("units/106");
  req.set_directive_id("Tam Duong");
  pv1::CreateDirectiveResponse resp;
  req.mutable_directive()->set_issue_date("2024-01-10");
  SetTimestamp(kDeadline, req.mutable_directive()->mutable_deadline());
  req.mutable_directive()->set_year(2024);
  EXPECT_THAT(plans_->directives().CreateDirective(ServiceEnv::Context(kOffice).get(), req, &resp),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           AllOf(HasSubstr("directive_id"), HasSubstr("directive.document_number"),
                                 HasSubstr("directive.deliverables"))));
  // A commune of another district, and an indicator the catalog does not know.
  pv1::CreateDirectiveRequest other = req;
  other.set_directive_id("tam-duong-2024");
  other.mutable_directive()->set_document_number("125/UBND-NN");
  other.mutable_directive()->add_deliverables(pv1::DELIVERABLE_PLAN);
  other.mutable_directive()->add_addressed_units()->set_unit("units/03424");
  other.mutable_directive()->add_addressed_units()->set_unit("units/03403");
  other.mutable_directive()->add_focus_indicators("99.9");
  EXPECT_THAT(
      plans_->directives().CreateDirective(ServiceEnv::Context(kOffice).get(), other, &resp),
      GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                   AllOf(HasSubstr("directive.addressed_units[1].unit: units/03403 is not a "
                                   "commune below units/106"),
                         HasSubstr("directive.focus_indicators[0]: indicator 99.9"))));
  EXPECT_TRUE(SameRows(before, plans_->Snapshot()));
}

TEST_F(PlansServiceTest, PlanIsPrefilledEditedSubmittedReturnedResubmittedAndAccepted) {
  ASSERT_THAT(IssueDirective({}), GrpcOk());
  ASSERT_NO_FATAL_FAILURE(SubmitAssessment("units/03424", "can-bo-ban-bo"));

  pv1::Plan plan;
  ASSERT_THAT(CreatePlan("units/03424", "can-bo-ban-bo", &plan), GrpcOk());
  EXPECT_EQ(plan.name(), kBanBoPlan);
  EXPECT_EQ(plan.directive(), kDirective);
  EXPECT_EQ(plan.unit_display_name(), "Xã Bản Bo");
  EXPECT_EQ(plan.state(), pv1::PLAN_STATE_DRAFT);
  EXPECT_EQ(plan.baseline().assessment(), "units/03424/assessments/2023-12-31");
  EXPECT_EQ(plan.baseline().criteria_total(), 19);
  // Every indicator but the two met, the directive's focus indicators first in its order.
  ASSERT_EQ(plan.targets_size(), 55);
  const std::vector<std::string> focus = {"13.3", "13.5", "15.1", "17.3", "17.6", "17.7", "17.11"};
  for (size_t i = 0; i < focus.size(); ++i) {
    EXPECT_EQ(plan.targets(static_cast<int>(i)).indicator_code(), focus[i]);
    EXPECT_TRUE(plan.targets(static_cast<int>(i)).focus());
    EXPECT_TRUE(plan.targets(static_cast<int>(i)).reach_standard());
  }
  EXPECT_FALSE(plan.targets(7).focus());
  for (const pv1::Target& t : plan.targets()) {
    EXPECT_NE(t.indicator_code(), "1.1");
  }
  EXPECT_THAT(plan.status_summary(), HasSubstr("còn 55 chỉ tiêu chưa đạt"));
  EXPECT_EQ(plan.deadline().seconds(), absl::ToUnixSeconds(kDeadline));

  // Funding that does not add up is refused at submission, listing each difference.
  pv1::Plan edit;
  edit.set_name(kBanBoPlan);
  FillContent(&edit);
  edit.mutable_funding()->set_total_dong(1'300'000'000);
  ASSERT_THAT(Update(edit, {"tasks", "funding", "solutions", "organisation"}, &plan), GrpcOk());
  EXPECT_EQ(plan.tasks(0).content(), "Cứng hóa 2,5 km đường trục bản Nà Khương");
  EXPECT_THAT(Submit(kBanBoPlan, "can-bo-ban-bo"),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION,
                           AllOf(HasSubstr("funding.by_group"), HasSubstr("funding.by_source"),
                                 HasSubstr("difference"))));
  edit.mutable_funding()->set_total_dong(1'250'000'000);
  ASSERT_THAT(Update(edit, {"funding"}, &plan), GrpcOk());

  assessment_->clock().Set(Local(2024, 2, 5));
  ASSERT_THAT(Submit(kBanBoPlan, "can-bo-ban-bo", &plan), GrpcOk());
  EXPECT_EQ(plan.state(), pv1::PLAN_STATE_SUBMITTED);
  EXPECT_FALSE(plan.submitted_late());
  const std::string submitted_rows = plans_->Snapshot();
  EXPECT_THAT(Update(edit, {"solutions"}),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION,
                           HasSubstr("only a draft or a returned plan can be edited")));
  EXPECT_TRUE(SameRows(submitted_rows, plans_->Snapshot()));

  pv1::ReturnPlanRequest ret;
  ret.set_name(kBanBoPlan);
  ret.add_reasons("Bổ sung nguồn vốn lồng ghép cho tiêu chí 17");
  ret.add_reasons("Làm rõ lộ trình đạt chỉ tiêu 13.3");
  pv1::ReturnPlanResponse returned;
  ASSERT_THAT(plans_->plans().ReturnPlan(ServiceEnv::Context(kOffice).get(), ret, &returned),
              GrpcOk());
  EXPECT_EQ(returned.plan().state(), pv1::PLAN_STATE_RETURNED);

  edit.set_solutions("Huy động vốn lồng ghép từ chương trình MTQG giảm nghèo");
  ASSERT_THAT(Update(edit, {"solutions"}), GrpcOk());
  assessment_->clock().Set(Local(2024, 2, 12));
  ASSERT_THAT(Submit(kBanBoPlan, "can-bo-ban-bo", &plan), GrpcOk());
  EXPECT_TRUE(plan.submitted_late());

  pv1::AcceptPlanRequest accept;
  accept.set_name(kBanBoPlan);
  accept.set_etag(plan.etag());
  pv1::AcceptPlanResponse accepted;
  ASSERT_THAT(plans_->plans().AcceptPlan(ServiceEnv::Context(kOffice).get(), accept, &accepted),
              GrpcOk());
  EXPECT_EQ(accepted.plan().state(), pv1::PLAN_STATE_ACCEPTED);
  std::vector<std::string> actions;
  for (const pv1::PlanEvent& e : accepted.plan().history()) {
    actions.push_back(e.action());
  }
  EXPECT_THAT(actions, ElementsAre("create", "edit", "edit", "submit", "return", "edit", "submit",
                                   "accept"));
  EXPECT_EQ(accepted.plan().history(4).reason(),
            "Bổ sung nguồn vốn lồng ghép cho tiêu chí 17\nLàm rõ lộ trình đạt chỉ tiêu 13.3");
  EXPECT_EQ(accepted.plan().history(4).actor(), kOffice);
  EXPECT_EQ(plans_->QueryInt("SELECT COUNT(*) FROM outbox WHERE subject = "
                             "'plans/tam-duong-2024.03424' AND payload LIKE "
                             "'%\"unit\":\"units/03424\"%'"),
            8);
}

TEST_F(PlansServiceTest, BadPlanInputIsNamedAndStoresNothing) {
  ASSERT_THAT(IssueDirective({"units/03424", "units/03421"}), GrpcOk());
  ASSERT_NO_FATAL_FAILURE(SubmitAssessment("units/03424", "can-bo-ban-bo"));
  ASSERT_THAT(CreatePlan("units/03424", "can-bo-ban-bo"), GrpcOk());
  std::string before = plans_->Snapshot();

  pv1::Plan edit;
  edit.set_name(kBanBoPlan);
  pv1::Target* unknown = edit.add_targets();
  unknown->set_indicator_code("99.1");
  unknown->set_reach_standard(true);
  pv1::Target* met = edit.add_targets();
  met->set_indicator_code("1.1");
  met->set_reach_standard(true);
  EXPECT_THAT(Update(edit, {"targets"}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           AllOf(HasSubstr("plan.targets[0].indicator_code"), HasSubstr("99.1"),
                                 HasSubstr("plan.targets[1].indicator_code"))));
  pv1::Plan negative;
  negative.set_name(kBanBoPlan);
  FillContent(&negative);
  negative.mutable_funding()->mutable_by_source(2)->set_amount_dong(-150'000'000);
  negative.mutable_tasks(0)->set_cost_dong(-1);
  EXPECT_THAT(Update(negative, {"tasks", "funding"}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           AllOf(HasSubstr("plan.tasks[0].cost_dong"),
                                 HasSubstr("plan.funding.by_source"), HasSubstr("negative"))));
  pv1::Plan huge;
  huge.set_name(kBanBoPlan);
  FillContent(&huge);
  huge.mutable_funding()->set_total_dong(9'000'000'000'000'000'000);
  EXPECT_THAT(Update(huge, {"funding"}), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                                                      HasSubstr("plan.funding.total_dong")));
  pv1::Plan twice;
  twice.set_name(kBanBoPlan);
  FillContent(&twice);
  twice.mutable_tasks(0)->add_indicator_codes("2.1");
  EXPECT_THAT(Update(twice, {"tasks"}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("plan.tasks[0].indicator_codes[1]: 2.1 is listed twice")));
  EXPECT_THAT(Update(negative, {"budget"}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("update_mask")));
  // A second plan for the same unit and directive; a unit the directive does not address.
  EXPECT_THAT(CreatePlan("units/03424", "can-bo-ban-bo"),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS, HasSubstr(kBanBoPlan)));
  EXPECT_THAT(CreatePlan("units/03412", "can-bo-binh-lu"),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION,
                           HasSubstr("does not address units/03412")));
  // Xã Bản Hon is addressed but has no submitted assessment.
  EXPECT_THAT(
      CreatePlan("units/03421", "can-bo-ban-hon"),
      GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION, HasSubstr("no submitted assessment")));
  // Accepting or returning a draft.
  pv1::AcceptPlanRequest accept;
  accept.set_name(kBanBoPlan);
  pv1::AcceptPlanResponse accepted;
  EXPECT_THAT(plans_->plans().AcceptPlan(ServiceEnv::Context(kOffice).get(), accept, &accepted),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION, HasSubstr("submitted")));
  pv1::ReturnPlanRequest ret;
  ret.set_name(kBanBoPlan);
  pv1::ReturnPlanResponse returned;
  EXPECT_THAT(plans_->plans().ReturnPlan(ServiceEnv::Context(kOffice).get(), ret, &returned),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("reasons")));
  pv1::SubmitPlanRequest stale;
  stale.set_name(kBanBoPlan);
  stale.set_etag("\"7\"");
  pv1::SubmitPlanResponse submitted;
  EXPECT_THAT(
      plans_->plans().SubmitPlan(ServiceEnv::Context("can-bo-ban-bo").get(), stale, &submitted),
      GrpcStatusIs(grpc::StatusCode::ABORTED, HasSubstr("read it again")));
  EXPECT_TRUE(SameRows(before, plans_->Snapshot()));
}

TEST_F(PlansServiceTest, AssessmentServiceDownMeansUnavailableAndNoHalfPlan) {
  // A plans service whose assessment service does not answer (nothing listens on port 1).
  auto lonely =
      testing::PlansEnv::Start("127.0.0.1:1", &assessment_->clock(), absl::Milliseconds(500));
  ASSERT_NE(lonely, nullptr);
  MySqlDirectiveRepository directives(&lonely->pool());
  ASSERT_TRUE(directives.Create(testing::SeedDirective(), kOffice, Local(2024, 1, 10)).ok());
  const std::string before = lonely->Snapshot();
  pv1::CreatePlanRequest req;
  req.set_parent("units/03424");
  req.set_directive(kDirective);
  pv1::CreatePlanResponse resp;
  EXPECT_THAT(lonely->plans().CreatePlan(ServiceEnv::Context("can-bo-ban-bo").get(), req, &resp),
              GrpcStatusIs(grpc::StatusCode::UNAVAILABLE,
                           AllOf(HasSubstr("assessment service"), HasSubstr("cannot be reached"))));
  EXPECT_TRUE(SameRows(before, lonely->Snapshot()));
  EXPECT_EQ(lonely->QueryInt("SELECT COUNT(*) FROM plans"), 0);
}

TEST_F(PlansServiceTest, SubmissionStatusShowsLateAndMissingCommunesAroundTheDeadline) {
  ASSERT_THAT(IssueDirective({"units/03424", "units/03421", "units/03412"}), GrpcOk());
  ASSERT_NO_FATAL_FAILURE(SubmitAssessment("units/03424", "can-bo-ban-bo"));
  ASSERT_NO_FATAL_FAILURE(SubmitAssessment("units/03421", "can-bo-ban-hon"));
  // Bình Lư gets until 15/02 (landslide).
  pv1::ExtendDeadlineRequest extend;
  extend.set_name(kDirective);
  extend.set_unit("units/03412");
  SetTimestamp(Local(2024, 2, 15, 23, 59), extend.mutable_deadline());
  extend.set_reason("Sạt lở đường vào xã do mưa lớn");
  pv1::ExtendDeadlineResponse extended;
  ASSERT_THAT(
      plans_->directives().ExtendDeadline(ServiceEnv::Context(kOffice).get(), extend, &extended),
      GrpcOk());

  pv1::Plan ban_bo;
  ASSERT_THAT(CreatePlan("units/03424", "can-bo-ban-bo", &ban_bo), GrpcOk());
  FillContent(&ban_bo);
  ASSERT_THAT(Update(ban_bo, {"tasks", "funding"}), GrpcOk());
  ASSERT_THAT(CreatePlan("units/03421", "can-bo-ban-hon"), GrpcOk());
  assessment_->clock().Set(Local(2024, 2, 10, 23, 0));
  ASSERT_THAT(Submit(kBanBoPlan, "can-bo-ban-bo"), GrpcOk());

  auto row = [](const pv1::GetSubmissionStatusResponse& r, const std::string& unit) {
    for (const pv1::UnitSubmission& u : r.units()) {
      if (u.unit() == unit) return u;
    }
    return pv1::UnitSubmission();
  };
  pv1::GetSubmissionStatusResponse status;
  ASSERT_THAT(Status(&status), GrpcOk());
  EXPECT_EQ(row(status, "units/03424").status(), pv1::SUBMISSION_STATUS_SUBMITTED_ON_TIME);
  EXPECT_EQ(row(status, "units/03421").status(), pv1::SUBMISSION_STATUS_DRAFT);
  EXPECT_EQ(row(status, "units/03412").status(), pv1::SUBMISSION_STATUS_NOT_STARTED);
  EXPECT_TRUE(row(status, "units/03412").extended());
  EXPECT_EQ(status.overdue(), 0);

  // The morning after the deadline: Bản Hon is overdue, Bình Lư still has time.
  assessment_->clock().Set(Local(2024, 2, 11));
  ASSERT_THAT(Status(&status), GrpcOk());
  EXPECT_TRUE(row(status, "units/03421").overdue());
  EXPECT_FALSE(row(status, "units/03412").overdue());
  EXPECT_EQ(status.overdue(), 1);
  ASSERT_EQ(status.counts_size(), 6);
  EXPECT_EQ(status.counts(0).status(), pv1::SUBMISSION_STATUS_NOT_STARTED);
  EXPECT_EQ(status.counts(0).count(), 1);

  // Bản Hon sends late; after Bình Lư's own deadline it is overdue too.
  pv1::Plan ban_hon;
  pv1::GetPlanRequest get;
  get.set_name("units/03421/plans/tam-duong-2024");
  pv1::GetPlanResponse got;
  ASSERT_THAT(plans_->plans().GetPlan(ServiceEnv::Context("can-bo-ban-hon").get(), get, &got),
              GrpcOk());
  ban_hon = got.plan();
  FillContent(&ban_hon);
  pv1::UpdatePlanRequest update;
  *update.mutable_plan() = ban_hon;
  update.mutable_update_mask()->add_paths("funding");
  pv1::UpdatePlanResponse updated;
  ASSERT_THAT(
      plans_->plans().UpdatePlan(ServiceEnv::Context("can-bo-ban-hon").get(), update, &updated),
      GrpcOk());
  ASSERT_THAT(Submit("units/03421/plans/tam-duong-2024", "can-bo-ban-hon"), GrpcOk());
  assessment_->clock().Set(Local(2024, 2, 16));
  ASSERT_THAT(Status(&status), GrpcOk());
  EXPECT_EQ(row(status, "units/03421").status(), pv1::SUBMISSION_STATUS_SUBMITTED_LATE);
  EXPECT_TRUE(row(status, "units/03421").submitted_late());
  EXPECT_TRUE(row(status, "units/03412").overdue());
  EXPECT_EQ(status.overdue(), 1);

  // An extension granted after a late submission does not make it on time.
  extend.set_unit("units/03421");
  SetTimestamp(Local(2024, 2, 20, 23, 59), extend.mutable_deadline());
  ASSERT_THAT(
      plans_->directives().ExtendDeadline(ServiceEnv::Context(kOffice).get(), extend, &extended),
      GrpcOk());
  ASSERT_THAT(Status(&status), GrpcOk());
  EXPECT_EQ(row(status, "units/03421").status(), pv1::SUBMISSION_STATUS_SUBMITTED_LATE);
}

TEST_F(PlansServiceTest, DistrictSummaryByIndicatorFundingAndOwningAgency) {
  ASSERT_THAT(IssueDirective({"units/03424", "units/03421", "units/03412"}), GrpcOk());
  for (const auto& [unit, officer] : std::vector<std::pair<std::string, std::string>>{
           {"units/03424", "can-bo-ban-bo"}, {"units/03421", "can-bo-ban-hon"}}) {
    ASSERT_NO_FATAL_FAILURE(SubmitAssessment(unit, officer));
    pv1::Plan p;
    ASSERT_THAT(CreatePlan(unit, officer, &p), GrpcOk());
    FillContent(&p);
    pv1::UpdatePlanRequest update;
    *update.mutable_plan() = p;
    update.mutable_update_mask()->add_paths("funding");
    pv1::UpdatePlanResponse updated;
    ASSERT_THAT(plans_->plans().UpdatePlan(ServiceEnv::Context(officer).get(), update, &updated),
                GrpcOk());
  }
  ASSERT_THAT(Submit(kBanBoPlan, "can-bo-ban-bo"), GrpcOk());

  pv1::GetDistrictPlanSummaryRequest req;
  req.set_directive(kDirective);
  pv1::GetDistrictPlanSummaryResponse summary;
  ASSERT_THAT(
      plans_->plans().GetDistrictPlanSummary(ServiceEnv::Context(kOffice).get(), req, &summary),
      GrpcOk());
  // Only the submitted plan counts unless drafts are asked for.
  EXPECT_THAT(summary.plans(), ElementsAre(kBanBoPlan));
  EXPECT_EQ(summary.indicators_size(), 55);
  EXPECT_EQ(summary.indicators(0).indicator_code(), "2.1");
  EXPECT_EQ(summary.funding_total_dong(), 1'250'000'000);
  ASSERT_EQ(summary.funding_by_source_size(), 8);
  EXPECT_EQ(summary.funding_by_source(0).amount_dong(), 900'000'000);
  req.set_include_drafts(true);
  ASSERT_THAT(
      plans_->plans().GetDistrictPlanSummary(ServiceEnv::Context(kOffice).get(), req, &summary),
      GrpcOk());
  EXPECT_EQ(summary.plans_size(), 2);
  EXPECT_EQ(summary.funding_total_dong(), 2'500'000'000);
  EXPECT_THAT(summary.indicators(0).units(), ElementsAre("units/03421", "units/03424"));

  // The health office's view: only the indicators it owns in the district.
  av1::ListOwnershipsRequest own;
  own.set_unit("units/106");
  own.set_criteria_set("criteriaSets/lai-chau-2022");
  av1::ListOwnershipsResponse owners;
  ASSERT_THAT(
      assessment_->directory().ListOwnerships(ServiceEnv::Context(kOffice).get(), own, &owners),
      GrpcOk());
  std::set<std::string> yte;
  for (const av1::IndicatorOwner& o : owners.indicator_owners()) {
    if (o.agency() == "agencies/tam-duong-yte") yte.insert(o.indicator_code());
  }
  ASSERT_FALSE(yte.empty());
  req.set_agency("agencies/tam-duong-yte");
  ASSERT_THAT(
      plans_->plans().GetDistrictPlanSummary(
          ServiceEnv::Context("tam-duong-yte", "agencies/tam-duong-yte").get(), req, &summary),
      GrpcOk());
  EXPECT_EQ(summary.agency(), "agencies/tam-duong-yte");
  ASSERT_GT(summary.indicators_size(), 0);
  for (const pv1::IndicatorTargets& t : summary.indicators()) {
    EXPECT_EQ(yte.count(t.indicator_code()), 1u) << t.indicator_code();
  }
}

TEST_F(PlansServiceTest, ListPlansBelowAUnitFilteredByStateAndPaged) {
  ASSERT_THAT(IssueDirective({"units/03424", "units/03421"}), GrpcOk());
  ASSERT_NO_FATAL_FAILURE(SubmitAssessment("units/03424", "can-bo-ban-bo"));
  ASSERT_NO_FATAL_FAILURE(SubmitAssessment("units/03421", "can-bo-ban-hon"));
  ASSERT_THAT(CreatePlan("units/03424", "can-bo-ban-bo"), GrpcOk());
  ASSERT_THAT(CreatePlan("units/03421", "can-bo-ban-hon"), GrpcOk());
  pv1::ListPlansRequest req;
  req.set_parent("units/106");
  req.set_directive(kDirective);
  req.set_page_size(1);
  pv1::ListPlansResponse page;
  ASSERT_THAT(plans_->plans().ListPlans(ServiceEnv::Context(kOffice).get(), req, &page), GrpcOk());
  ASSERT_EQ(page.plans_size(), 1);
  EXPECT_EQ(page.plans(0).name(), "units/03421/plans/tam-duong-2024");
  EXPECT_EQ(page.plans(0).history_size(), 0);
  req.set_page_token(page.next_page_token());
  ASSERT_THAT(plans_->plans().ListPlans(ServiceEnv::Context(kOffice).get(), req, &page), GrpcOk());
  ASSERT_EQ(page.plans_size(), 1);
  EXPECT_EQ(page.plans(0).name(), kBanBoPlan);
  EXPECT_TRUE(page.next_page_token().empty());

  pv1::ListPlansRequest commune;
  commune.set_parent("units/03424");
  commune.set_state(pv1::PLAN_STATE_DRAFT);
  ASSERT_THAT(plans_->plans().ListPlans(ServiceEnv::Context(kOffice).get(), commune, &page),
              GrpcOk());
  ASSERT_EQ(page.plans_size(), 1);
  commune.set_state(pv1::PLAN_STATE_SUBMITTED);
  ASSERT_THAT(plans_->plans().ListPlans(ServiceEnv::Context(kOffice).get(), commune, &page),
              GrpcOk());
  EXPECT_EQ(page.plans_size(), 0);
  // Another district's units hold none of them.
  commune.set_parent("units/105");
  commune.clear_state();
  ASSERT_THAT(plans_->plans().ListPlans(ServiceEnv::Context(kOffice).get(), commune, &page),
              GrpcOk());
  EXPECT_EQ(page.plans_size(), 0);
}

}  // namespace
}  // namespace ntm::plans
