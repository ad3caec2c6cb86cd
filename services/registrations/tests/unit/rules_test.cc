// The registration rules without a database: what content may hold, and what it lacks.
#include "services/registrations/domain/rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/plans/domain/rules.h"

namespace ntm::registrations {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const std::vector<Village> kVillages = {{"03424001", "Bản Nà Khương"}, {"03424002", "Bản Bo"}};
const std::set<std::string> kKnown = {"17.3", "17.11", "9.1"};

RegistrationContent Complete() {
  RegistrationContent c;
  c.model_point =
      ModelPoint{"Bản sáng - xanh - sạch - đẹp Nà Khương", "Bản Nà Khương", "Môi trường", {"17.3"}};
  c.changes = {
      {"03424001", "Mỗi hộ một hố rác", "", {"17.11"}, "Rác đổ ven suối", "Hết rác ven suối"},
      {"03424002", "Trồng hoa hai bên đường", "Đường trục bản", {}, "", ""}};
  for (EndorsementBody b : kAllBodies) {
    c.endorsements.push_back({b, "Nguyễn Văn A, Bí thư", absl::CivilDay(2024, 1, 20)});
  }
  return c;
}

TEST(RegistrationRulesTest, ACompleteRegistrationHasNoProblemAndLacksNothing) {
  EXPECT_THAT(ContentProblems(Complete(), kVillages, kKnown), IsEmpty());
  EXPECT_THAT(Missing(Complete(), kVillages), IsEmpty());
}

TEST(RegistrationRulesTest, EveryProblemNamesItsField) {
  RegistrationContent c = Complete();
  c.model_point->content = "  ";
  c.model_point->indicator_codes = {"17.3", "17.3", "99.9"};
  c.changes.push_back({"03421001", "Bản của xã khác", "", {}, "", ""});
  c.changes.push_back({"03424001", "Lần thứ hai", "", {}, "", ""});
  c.changes.push_back({"03424002", "", "", {}, "", ""});
  c.endorsements.push_back({EndorsementBody::kPeoplesCouncil, "", absl::CivilDay(2024, 1, 20)});
  const std::vector<std::string> p = ContentProblems(c, kVillages, kKnown);
  EXPECT_THAT(p, UnorderedElementsAre(
                     HasSubstr("model_point.content: say what"),
                     HasSubstr("model_point.indicator_codes[1]: 17.3 is listed twice"),
                     HasSubstr("model_point.indicator_codes[2]: '99.9' is not an indicator"),
                     HasSubstr("village_changes[2].village: units/03421001 is not a village"),
                     HasSubstr("village_changes[3].village: units/03424001 has a change already"),
                     HasSubstr("village_changes[4].village: units/03424002 has a change already"),
                     HasSubstr("village_changes[4].content: say what will change"),
                     HasSubstr("endorsements[4].body: HĐND xã has endorsed it already"),
                     HasSubstr("endorsements[4].signed_by")));
}

TEST(RegistrationRulesTest, MissingListsTheModelPointEachVillageAndEachBody) {
  RegistrationContent c;
  c.changes = {{"03424002", "Trồng hoa", "", {}, "", ""}};
  c.endorsements = {{EndorsementBody::kPeoplesCommittee, "Chủ tịch UBND xã", {}}};
  EXPECT_THAT(Missing(c, kVillages),
              ElementsAre(HasSubstr("model_point"),
                          HasSubstr("Bản Nà Khương (units/03424001) has no change"),
                          HasSubstr("Đảng ủy xã has not endorsed it"),
                          HasSubstr("HĐND xã has not endorsed it"),
                          HasSubstr("Ban chỉ đạo các chương trình MTQG xã has not endorsed it")));
  EXPECT_THAT(VillagesWithoutChange(c, kVillages), ElementsAre("03424001"));
}

TEST(RegistrationRulesTest, TheLifecycleIsThePlansOneNamingARegistration) {
  const absl::Status s =
      plans::CheckTransition(State::kAccepted, plans::PlanAction::kEdit, "registration");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("the registration is accepted: only a draft or a returned registration"));
}

}  // namespace
}  // namespace ntm::registrations
