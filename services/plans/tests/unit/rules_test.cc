// The plan rules, without servers: funding that adds up, the lifecycle, on time or late, the
// status of a unit on a directive, the order of proposed targets.
#include "services/plans/domain/rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

namespace ntm::plans {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

Funding Balanced() {
  Funding f;
  f.total_dong = 1'250'000'000;
  f.by_group = {{ContentGroup::kInfrastructure, 1'000'000'000},
                {ContentGroup::kCultureSocietyEnvironment, 250'000'000}};
  f.by_source = {{FundingSource::kNtmProgram, 900'000'000},
                 {FundingSource::kCommunity, 350'000'000}};
  return f;
}

TEST(FundingTest, AFundingThatAddsUpHasNoProblem) {
  EXPECT_THAT(FundingProblems(Balanced()), IsEmpty());
  EXPECT_THAT(FundingProblems(Funding{}), IsEmpty());
}

TEST(FundingTest, EachDifferenceIsListedWithTheFieldAndTheAmount) {
  Funding f = Balanced();
  f.by_group[ContentGroup::kPlanning] = 5'000'000;
  f.by_source[FundingSource::kCommunity] = 300'000'000;
  const std::vector<std::string> problems = FundingProblems(f);
  ASSERT_THAT(problems, SizeIs(2));
  EXPECT_THAT(problems[0], HasSubstr("funding.by_group"));
  EXPECT_THAT(problems[0], HasSubstr("1.255.000.000 đồng"));
  EXPECT_THAT(problems[0], HasSubstr("difference 5.000.000 đồng"));
  EXPECT_THAT(problems[1], HasSubstr("funding.by_source"));
  EXPECT_THAT(problems[1], HasSubstr("difference -50.000.000 đồng"));
}

TEST(FundingTest, NegativeAmountsAndOverflowAreReportedNotWrapped) {
  Funding f = Balanced();
  f.by_source[FundingSource::kCredit] = -1;
  f.by_source[FundingSource::kNtmProgram] = 900'000'001;
  std::vector<std::string> problems = FundingProblems(f);
  ASSERT_FALSE(problems.empty());
  EXPECT_THAT(problems[0], HasSubstr("funding.by_source[Vốn tín dụng]: -1 đồng is negative"));

  Funding huge;
  huge.total_dong = 1;
  huge.by_group = {{ContentGroup::kPlanning, std::numeric_limits<int64_t>::max()},
                   {ContentGroup::kEconomy, 1}};
  huge.by_source = {{FundingSource::kCommunity, 1}};
  problems = FundingProblems(huge);
  ASSERT_THAT(problems, SizeIs(1));
  EXPECT_THAT(problems[0], HasSubstr("too large to add up"));
}

TEST(LifecycleTest, EditsAndSubmissionOnlyInDraftOrReturnedDecisionsOnlyOnSubmitted) {
  for (PlanAction a : {PlanAction::kEdit, PlanAction::kSubmit}) {
    EXPECT_TRUE(CheckTransition(PlanState::kDraft, a).ok());
    EXPECT_TRUE(CheckTransition(PlanState::kReturned, a).ok());
    EXPECT_TRUE(absl::IsFailedPrecondition(CheckTransition(PlanState::kSubmitted, a)));
    EXPECT_TRUE(absl::IsFailedPrecondition(CheckTransition(PlanState::kAccepted, a)));
  }
  for (PlanAction a : {PlanAction::kAccept, PlanAction::kReturn}) {
    EXPECT_TRUE(CheckTransition(PlanState::kSubmitted, a).ok());
    EXPECT_TRUE(absl::IsFailedPrecondition(CheckTransition(PlanState::kDraft, a)));
    EXPECT_TRUE(absl::IsFailedPrecondition(CheckTransition(PlanState::kReturned, a)));
    EXPECT_TRUE(absl::IsFailedPrecondition(CheckTransition(PlanState::kAccepted, a)));
  }
  EXPECT_EQ(CheckTransition(PlanState::kDraft, PlanAction::kAccept).message(),
            "the plan is draft: only a submitted plan can be accepted");
  EXPECT_EQ(CheckTransition(PlanState::kAccepted, PlanAction::kEdit).message(),
            "the plan is accepted: only a draft or a returned plan can be edited");
  EXPECT_EQ(After(PlanState::kReturned, PlanAction::kSubmit), PlanState::kSubmitted);
  EXPECT_EQ(After(PlanState::kSubmitted, PlanAction::kReturn), PlanState::kReturned);
  EXPECT_EQ(After(PlanState::kSubmitted, PlanAction::kAccept), PlanState::kAccepted);
  EXPECT_EQ(After(PlanState::kDraft, PlanAction::kEdit), PlanState::kDraft);
}

// 10/02/2024 23:59:59 in Asia/Ho_Chi_Minh (UTC+7).
const absl::Time kDeadline =
    absl::FromCivil(absl::CivilSecond(2024, 2, 10, 16, 59, 59), absl::UTCTimeZone());

TEST(TimingTest, AtTheDeadlineIsOnTimeAfterItLateAndAnExtensionMovesIt) {
  EXPECT_FALSE(IsLate(kDeadline, kDeadline, std::nullopt));
  EXPECT_TRUE(IsLate(kDeadline + absl::Seconds(1), kDeadline, std::nullopt));
  const absl::Time extended = kDeadline + absl::Hours(72);
  EXPECT_FALSE(IsLate(kDeadline + absl::Hours(48), kDeadline, extended));
  EXPECT_TRUE(IsLate(extended + absl::Seconds(1), kDeadline, extended));
  EXPECT_EQ(EffectiveDeadline(kDeadline, std::nullopt), kDeadline);
}

TEST(TimingTest, EachUnitIsClassifiedByItsPlanAndItsDeadline) {
  EXPECT_EQ(Classify(std::nullopt, kDeadline, std::nullopt), SubmissionStatus::kNotStarted);
  EXPECT_EQ(Classify(PlanProgress{PlanState::kDraft, std::nullopt}, kDeadline, std::nullopt),
            SubmissionStatus::kDraft);
  EXPECT_EQ(Classify(PlanProgress{PlanState::kSubmitted, kDeadline - absl::Hours(1)}, kDeadline,
                     std::nullopt),
            SubmissionStatus::kSubmittedOnTime);
  EXPECT_EQ(Classify(PlanProgress{PlanState::kSubmitted, kDeadline + absl::Hours(1)}, kDeadline,
                     std::nullopt),
            SubmissionStatus::kSubmittedLate);
  EXPECT_EQ(Classify(PlanProgress{PlanState::kSubmitted, kDeadline + absl::Hours(1)}, kDeadline,
                     kDeadline + absl::Hours(24)),
            SubmissionStatus::kSubmittedOnTime);
  EXPECT_EQ(Classify(PlanProgress{PlanState::kReturned, kDeadline}, kDeadline, std::nullopt),
            SubmissionStatus::kReturned);
  EXPECT_EQ(Classify(PlanProgress{PlanState::kAccepted, kDeadline}, kDeadline, std::nullopt),
            SubmissionStatus::kAccepted);
}

TEST(TargetsTest, FocusIndicatorsFirstInTheDirectivesOrderThenTheRestInCatalogOrder) {
  const std::vector<TargetProposal> t =
      ProposeTargets({"2.2", "13.3", "15.1", "17.6", "18.4"}, {"17.6", "13.5", "13.3", "17.6"});
  std::vector<std::string> codes;
  std::vector<bool> focus;
  for (const auto& p : t) {
    codes.push_back(p.indicator_code);
    focus.push_back(p.focus);
  }
  // 13.5 is met, so it is not proposed; 17.6 is named twice and proposed once.
  EXPECT_THAT(codes, ElementsAre("17.6", "13.3", "2.2", "15.1", "18.4"));
  EXPECT_THAT(focus, ElementsAre(true, true, false, false, false));
  EXPECT_THAT(ProposeTargets({}, {"13.3"}), IsEmpty());
}

}  // namespace
}  // namespace ntm::plans

namespace ntm::plans {
namespace {

IndicatorFacts Facts() {
  return IndicatorFacts{{"2.2", "13.3", "13.5", "15.1", "17.6", "17.11"}, {"2.2", "13.5"}};
}

TEST(PlanContentTest, AGoodPlanHasNoProblem) {
  PlanContent c;
  c.status_summary = "Xã đạt 14/19 tiêu chí.";
  c.targets = {{"15.1", false, 955000, "Vận động người dân tham gia BHYT", true},
               {"17.11", true, std::nullopt, "", true}};
  c.tasks = {{ContentGroup::kCultureSocietyEnvironment,
              "Xây dựng điểm thu gom rác thải",
              "UBND xã",
              absl::CivilDay(2024, 3, 1),
              absl::CivilDay(2024, 9, 30),
              {"17.6"},
              120'000'000}};
  c.funding.total_dong = 120'000'000;
  c.funding.by_group = {{ContentGroup::kCultureSocietyEnvironment, 120'000'000}};
  c.funding.by_source = {{FundingSource::kNtmProgram, 120'000'000}};
  EXPECT_THAT(PlanContentProblems(c, Facts()), IsEmpty());
}

TEST(PlanContentTest, EveryProblemNamesItsField) {
  PlanContent c;
  c.targets = {{"99.9", true, std::nullopt, "", false},
               {"13.5", true, std::nullopt, "", false},
               {"15.1", false, std::nullopt, "", false},
               {"15.1", false, -5, "", false}};
  c.tasks = {{ContentGroup::kEconomy,
              " ",
              "",
              absl::CivilDay(2024, 5, 1),
              absl::CivilDay(2024, 4, 1),
              {"13.3", "13.x"},
              -1}};
  c.funding.by_source = {{FundingSource::kCommunity, -10}};
  const std::vector<std::string> p = PlanContentProblems(c, Facts());
  EXPECT_THAT(p, ::testing::ElementsAre(
                     HasSubstr("targets[0].indicator_code: '99.9' is not an indicator"),
                     HasSubstr("targets[1].indicator_code: 13.5 is already met"),
                     HasSubstr("targets[2].target_value: give the value"),
                     HasSubstr("targets[3].indicator_code: 15.1 has a target already"),
                     HasSubstr("targets[3].target_value: must not be negative"),
                     HasSubstr("tasks[0].content"), HasSubstr("tasks[0].responsible"),
                     HasSubstr("tasks[0].end_date"), HasSubstr("tasks[0].cost_dong"),
                     HasSubstr("tasks[0].indicator_codes[1]: '13.x'"),
                     HasSubstr("funding.by_source[Nhân dân đóng góp]: -10 đồng is negative")));
}

}  // namespace
}  // namespace ntm::plans
