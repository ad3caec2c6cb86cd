// Plans against a real MariaDB: one per directive and unit even under racing creates; the
// lifecycle draft → submitted (on time or late) → returned → edited → resubmitted → accepted,
// every step in the history and the outbox; refused steps store nothing.
#include "services/plans/storage/plan_repository.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "services/plans/storage/directive_repository.h"
#include "services/plans/tests/integration/plans_db.h"

namespace ntm::plans {
namespace {

using ::testing::HasSubstr;

using testing::kDeadline;

PlanContent Content() {
  PlanContent c;
  c.status_summary = "Đến hết năm 2023 xã Bản Bo đạt 14/19 tiêu chí.";
  c.targets = {{"15.1", false, 955000, "Vận động tham gia BHYT", true},
               {"17.11", true, std::nullopt, "", true}};
  c.tasks = {{ContentGroup::kCultureSocietyEnvironment,
              "Xây dựng 3 điểm thu gom rác thải",
              "UBND xã, các bản",
              absl::CivilDay(2024, 3, 1),
              absl::CivilDay(2024, 9, 30),
              {"17.6", "17.11"},
              120'000'000}};
  c.funding.total_dong = 120'000'000;
  c.funding.by_group = {{ContentGroup::kCultureSocietyEnvironment, 120'000'000}};
  c.funding.by_source = {{FundingSource::kNtmProgram, 100'000'000},
                         {FundingSource::kCommunity, 10'000'000}};  // 10 million short
  c.solutions = "Lồng ghép các nguồn vốn.";
  c.organisation = "Ban quản lý xã theo dõi, báo cáo hằng quý.";
  return c;
}

class PlanRepositoryTest : public testing::PlansDbTest {
 protected:
  void SetUp() override {
    PlansDbTest::SetUp();
    directives_ = std::make_unique<MySqlDirectiveRepository>(pool_.get());
    plans_ = std::make_unique<MySqlPlanRepository>(pool_.get());
    ASSERT_TRUE(
        directives_
            ->Create(testing::SeedDirective(), "tam-duong-nnptnt", kDeadline - absl::Hours(24 * 30))
            .ok());
  }

  int64_t Count(const std::string& sql) { return QueryInt(sql); }

  std::unique_ptr<MySqlDirectiveRepository> directives_;
  std::unique_ptr<MySqlPlanRepository> plans_;
};

TEST_F(PlanRepositoryTest, OnePlanPerUnitAndDirectiveEvenWhenTwoCreatesRace) {
  const absl::Time now = kDeadline - absl::Hours(24 * 20);
  EXPECT_TRUE(absl::IsFailedPrecondition(
      plans_->Create("tam-duong-2024", "03390", Content(), "can-bo", now).status()));
  EXPECT_TRUE(
      absl::IsNotFound(plans_->Create("khong-co", "03424", Content(), "can-bo", now).status()));
  std::vector<absl::Status> results(2);
  std::thread a([&] {
    results[0] = plans_->Create("tam-duong-2024", "03424", Content(), "can-bo-a", now).status();
  });
  std::thread b([&] {
    results[1] = plans_->Create("tam-duong-2024", "03424", Content(), "can-bo-b", now).status();
  });
  a.join();
  b.join();
  EXPECT_EQ(results[0].ok() + results[1].ok(), 1) << results[0] << " / " << results[1];
  EXPECT_TRUE(absl::IsAlreadyExists(results[0].ok() ? results[1] : results[0]));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM plans"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM plan_targets"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM plan_history"), 1);
}

TEST_F(PlanRepositoryTest, TheWholeLifecycleWithEveryStepKept) {
  absl::Time now = kDeadline - absl::Hours(24 * 20);
  auto plan = plans_->Create("tam-duong-2024", "03424", Content(), "can-bo-ban-bo", now);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->id, "tam-duong-2024.03424");
  EXPECT_EQ(plan->content.tasks[0].content, "Xây dựng 3 điểm thu gom rác thải");
  EXPECT_EQ(plan->content.targets[0].value_fixed4, 955000);
  EXPECT_FALSE(plan->content.targets[1].value_fixed4.has_value());
  EXPECT_EQ(plan->content.funding.by_source.size(), 2u);

  // Accepting a draft, submitting funding that does not add up: refused, nothing changed.
  EXPECT_TRUE(absl::IsFailedPrecondition(
      plans_->Transition(plan->id, PlanAction::kAccept, 0, "nnptnt", "", now).status()));
  auto refused = plans_->Transition(plan->id, PlanAction::kSubmit, 1, "can-bo-ban-bo", "", now);
  EXPECT_TRUE(absl::IsFailedPrecondition(refused.status()));
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("funding.by_source"));
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("difference -10.000.000 đồng"));
  EXPECT_EQ(Count("SELECT version FROM plans"), 1);

  // Fixed, submitted on time; then no edit.
  PlanContent fixed = Content();
  fixed.funding.by_source[FundingSource::kCommunity] = 20'000'000;
  ASSERT_TRUE(plans_->UpdateContent(plan->id, fixed, 1, "can-bo-ban-bo", now).ok());
  EXPECT_TRUE(absl::IsAborted(
      plans_->Transition(plan->id, PlanAction::kSubmit, 1, "can-bo-ban-bo", "", now).status()));
  auto submitted = plans_->Transition(plan->id, PlanAction::kSubmit, 2, "can-bo-ban-bo", "", now);
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(submitted->state, PlanState::kSubmitted);
  EXPECT_FALSE(submitted->submitted_late);
  EXPECT_TRUE(absl::IsFailedPrecondition(
      plans_->UpdateContent(plan->id, fixed, 0, "can-bo-ban-bo", now).status()));

  // Returned (a reason is required), edited, resubmitted after the deadline: late; accepted.
  EXPECT_TRUE(absl::IsInvalidArgument(
      plans_->Transition(plan->id, PlanAction::kReturn, 0, "nnptnt", " ", now).status()));
  ASSERT_TRUE(plans_
                  ->Transition(plan->id, PlanAction::kReturn, 0, "tam-duong-nnptnt",
                               "Bổ sung nhiệm vụ cho tiêu chí 17.6", now)
                  .ok());
  fixed.targets.push_back({"17.6", true, std::nullopt, "", false});
  ASSERT_TRUE(plans_->UpdateContent(plan->id, fixed, 0, "can-bo-ban-bo", now).ok());
  now = kDeadline + absl::Hours(2);
  auto late = plans_->Transition(plan->id, PlanAction::kSubmit, 0, "can-bo-ban-bo", "", now);
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_TRUE(late->submitted_late);
  EXPECT_EQ(late->submitted_at, now);
  auto accepted = plans_->Transition(plan->id, PlanAction::kAccept, 0, "tam-duong-nnptnt", "", now);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->state, PlanState::kAccepted);
  EXPECT_EQ(accepted->content.targets.size(), 3u);

  std::vector<std::string> actions;
  for (const PlanEvent& e : accepted->history) {
    actions.push_back(e.action);
  }
  EXPECT_THAT(actions, ::testing::ElementsAre("create", "edit", "submit", "return", "edit",
                                              "submit", "accept"));
  EXPECT_EQ(accepted->history[3].reason, "Bổ sung nhiệm vụ cho tiêu chí 17.6");
  EXPECT_EQ(accepted->history[3].actor, "tam-duong-nnptnt");
  // The directive's event and one per step.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 1 + 7);
}

TEST_F(PlanRepositoryTest, AnExtensionMakesALateSubmissionOnTime) {
  const absl::Time now = kDeadline + absl::Hours(24);
  ASSERT_TRUE(directives_
                  ->ExtendDeadline("tam-duong-2024", "03421", kDeadline + absl::Hours(72),
                                   "Đường vào xã bị sạt lở", 0, "tam-duong-nnptnt", now)
                  .ok());
  PlanContent c = Content();
  c.funding.by_source[FundingSource::kCommunity] = 20'000'000;
  auto plan = plans_->Create("tam-duong-2024", "03421", c, "can-bo-ban-hon", now);
  ASSERT_TRUE(plan.ok()) << plan.status();
  auto submitted = plans_->Transition(plan->id, PlanAction::kSubmit, 0, "can-bo-ban-hon", "", now);
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_FALSE(submitted->submitted_late);
}

}  // namespace
}  // namespace ntm::plans
