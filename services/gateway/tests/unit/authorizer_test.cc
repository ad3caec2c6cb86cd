// Decisions of the authorization engine on the real rules of the contracts, for the people of
// the Tam Đường demo: commune officers, the standing office, steering-committee agencies, the
// province office.
#include "services/gateway/authz/authorizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ntm/assessment/v1/assessment.pb.h"
#include "ntm/assessment/v1/catalog.pb.h"
#include "ntm/assessment/v1/directory.pb.h"
#include "ntm/notifications/v1/notification.pb.h"
#include "services/gateway/authz/served_services.h"

namespace ntm::gateway {
namespace {

using ntm::api::v1::ROLE_COMMUNE_OFFICER;
using ntm::api::v1::ROLE_PROVINCE_OFFICE;
using ntm::api::v1::ROLE_STANDING_OFFICE;
using ntm::api::v1::ROLE_STEERING_MEMBER;
using ::testing::HasSubstr;
namespace v1 = ntm::assessment::v1;

// The unit tree of the test: Lai Châu (12) > Tam Đường (106) > Bản Bo (03424), Bản Hon (03421);
// Lai Châu > Thành phố Lai Châu (105) > Phường Quyết Thắng (03386).
std::vector<std::string> Chain(const std::string& unit) {
  if (unit == "03424" || unit == "03421") {
    return {unit, "106", "12"};
  }
  if (unit == "03386") {
    return {unit, "105", "12"};
  }
  if (unit == "106" || unit == "105") {
    return {unit, "12"};
  }
  return {unit};
}

// Criterion 15 of the demo ownership: health office by default, 15.1 to social insurance.
std::map<std::string, std::string> Owners() {
  return {{"15.1", "tam-duong-bhxh"}, {"15.2", "tam-duong-yte"},    {"15.3", "tam-duong-yte"},
          {"15.4", "tam-duong-yte"},  {"13.3", "tam-duong-nnptnt"}, {"17.11", "tam-duong-tnmt"}};
}

class AuthorizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto table = RuleTable::Compile(ServedServiceDescriptors());
    ASSERT_TRUE(table.ok()) << table.status();
    table_ = std::move(*table);
  }

  Decision Call(const Principal& p, const std::string& method,
                const google::protobuf::Message& request) {
    const CompiledRule* rule = table_.Find(method);
    EXPECT_NE(rule, nullptr) << method;
    auto facts = ExtractFacts(*rule, request);
    EXPECT_TRUE(facts.ok()) << facts.status();
    TargetContext target;
    if (!facts->unit_code.empty()) {
      target.unit_chain = Chain(facts->unit_code);
    }
    target.owners = Owners();
    if (facts->criterion == "15") {
      target.criterion_indicators = {"15.1", "15.2", "15.3", "15.4"};
    } else if (facts->criterion == "17") {
      target.criterion_indicators = {"17.11"};
    }
    return authorizer_.Decide(p, *rule, *facts, target);
  }

  static v1::SetIndicatorValuesRequest Values(const std::string& unit,
                                              std::vector<std::string> codes) {
    v1::SetIndicatorValuesRequest r;
    r.set_name("units/" + unit + "/assessments/2023-12-31");
    for (const auto& c : codes) {
      r.add_values()->set_indicator_code(c);
    }
    return r;
  }

  static v1::ReviewCriterionRequest Review(const std::string& unit, const std::string& criterion) {
    v1::ReviewCriterionRequest r;
    r.set_name("units/" + unit + "/assessments/2023-12-31");
    r.set_criterion_code(criterion);
    return r;
  }

  const Principal ban_bo_{"can-bo-ban-bo", "03424", "", {ROLE_COMMUNE_OFFICER}};
  const Principal yte_{"yte-1", "106", "tam-duong-yte", {ROLE_STEERING_MEMBER}};
  const Principal bhxh_{"bhxh-system", "106", "tam-duong-bhxh", {ROLE_STEERING_MEMBER}};
  const Principal nnptnt_{
      "nnptnt-1", "106", "tam-duong-nnptnt", {ROLE_STANDING_OFFICE, ROLE_STEERING_MEMBER}};
  const Principal province_{"vp-dieu-phoi", "12", "lai-chau-vpdp", {ROLE_PROVINCE_OFFICE}};

  static constexpr char kSet[] = "/ntm.assessment.v1.AssessmentService/SetIndicatorValues";
  static constexpr char kReview[] = "/ntm.assessment.v1.AssessmentService/ReviewCriterion";

  RuleTable table_;
  RuleAuthorizer authorizer_;
};

TEST_F(AuthorizerTest, ACommuneOfficerChangesOnlyItsOwnCommune) {
  EXPECT_TRUE(Call(ban_bo_, kSet, Values("03424", {"15.1", "17.11"})).allowed);
  Decision d = Call(ban_bo_, kSet, Values("03421", {"15.1"}));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.check, "unit");
  EXPECT_THAT(d.reason, HasSubstr("units/03421"));
  v1::SubmitAssessmentRequest submit;
  submit.set_name("units/03421/assessments/2023-12-31");
  EXPECT_EQ(Call(ban_bo_, "/ntm.assessment.v1.AssessmentService/SubmitAssessment", submit).check,
            "unit");
  // Reading the district's matrix reaches other communes: denied; its own commune: allowed.
  v1::GetDistrictMatrixRequest matrix;
  matrix.set_unit("units/106");
  matrix.set_as_of_date("2023-12-31");
  EXPECT_FALSE(
      Call(ban_bo_, "/ntm.assessment.v1.AssessmentService/GetDistrictMatrix", matrix).allowed);
  matrix.set_unit("units/03424");
  EXPECT_TRUE(
      Call(ban_bo_, "/ntm.assessment.v1.AssessmentService/GetDistrictMatrix", matrix).allowed);
}

TEST_F(AuthorizerTest, AnAgencyTouchesOnlyTheIndicatorsItOwns) {
  // Social insurance pushes 15.1 for every commune of its district...
  EXPECT_TRUE(Call(bhxh_, kSet, Values("03424", {"15.1"})).allowed);
  EXPECT_TRUE(Call(bhxh_, kSet, Values("03421", {"15.1"})).allowed);
  // ...not for another district's commune, and nothing else.
  EXPECT_EQ(Call(bhxh_, kSet, Values("03386", {"15.1"})).check, "unit");
  Decision d = Call(bhxh_, kSet, Values("03424", {"15.1", "15.2"}));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.check, "ownership");
  EXPECT_THAT(d.reason, HasSubstr("15.2"));
  EXPECT_THAT(d.reason, HasSubstr("tam-duong-yte"));
  // An indicator nobody owns is nobody's to set.
  EXPECT_EQ(Call(bhxh_, kSet, Values("03424", {"19.1"})).check, "ownership");
}

TEST_F(AuthorizerTest, TheHealthOfficeReviewsCriterionFifteenButNotSeventeen) {
  EXPECT_TRUE(Call(yte_, kReview, Review("03424", "15")).allowed);
  Decision d = Call(yte_, kReview, Review("03424", "17"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.check, "ownership");
  EXPECT_THAT(d.reason, HasSubstr("criterion 17"));
  // Owning one indicator of a criterion is enough to review it (its part).
  EXPECT_TRUE(Call(bhxh_, kReview, Review("03424", "15")).allowed);
  // A commune officer does not review.
  EXPECT_EQ(Call(ban_bo_, kReview, Review("03424", "15")).check, "role");
}

TEST_F(AuthorizerTest, TheStandingOfficeActsOnlyOnItsOwnIndicatorsWhenItActsAsAMember) {
  // Phòng NN&PTNT is the standing office and also owns criteria: setting values it does as a
  // member, so only on what it owns.
  EXPECT_TRUE(Call(nnptnt_, kSet, Values("03424", {"13.3"})).allowed);
  EXPECT_EQ(Call(nnptnt_, kSet, Values("03424", {"15.1"})).check, "ownership");
  // As the standing office it manages the district's ownership table.
  v1::UpdateOwnershipsRequest own;
  own.set_unit("units/106");
  EXPECT_TRUE(Call(nnptnt_, "/ntm.assessment.v1.DirectoryService/UpdateOwnerships", own).allowed);
  own.set_unit("units/105");
  EXPECT_EQ(Call(nnptnt_, "/ntm.assessment.v1.DirectoryService/UpdateOwnerships", own).check,
            "unit");
  EXPECT_EQ(Call(yte_, "/ntm.assessment.v1.DirectoryService/UpdateOwnerships", own).check, "role");
}

TEST_F(AuthorizerTest, OnlyTheProvinceOfficeEditsTheCatalogAndEveryoneReadsIt) {
  v1::UpdateIndicatorRequest update;
  update.mutable_indicator()->set_name("criteriaSets/lai-chau-2022/indicators/17.11");
  const std::string method = "/ntm.assessment.v1.CatalogService/UpdateIndicator";
  EXPECT_TRUE(Call(province_, method, update).allowed);
  for (const Principal* p : {&ban_bo_, &yte_, &bhxh_, &nnptnt_}) {
    Decision d = Call(*p, method, update);
    EXPECT_FALSE(d.allowed) << p->id;
    EXPECT_EQ(d.check, "role") << p->id;
  }
  v1::GetCriteriaSetRequest get;
  get.set_name("criteriaSets/lai-chau-2022");
  for (const Principal* p : {&ban_bo_, &yte_, &bhxh_, &nnptnt_, &province_}) {
    EXPECT_TRUE(Call(*p, "/ntm.assessment.v1.CatalogService/GetCriteriaSet", get).allowed) << p->id;
  }
}

TEST_F(AuthorizerTest, DeniesByDefault) {
  // A deactivated principal, and a principal with no role, are denied everything.
  Principal gone = ban_bo_;
  gone.active = false;
  v1::GetCriteriaSetRequest get;
  get.set_name("criteriaSets/lai-chau-2022");
  EXPECT_EQ(Call(gone, "/ntm.assessment.v1.CatalogService/GetCriteriaSet", get).check, "active");
  Principal nobody{"nobody", "12", "", {}};
  for (const auto& [method, rule] : table_.rules()) {
    // The target is inside the caller's unit, so only the role can decide.
    RequestFacts facts;
    facts.unit_code = "03424";
    TargetContext target;
    target.unit_chain = Chain("03424");
    Decision d = authorizer_.Decide(nobody, rule, facts, target);
    EXPECT_FALSE(d.allowed) << method;
    EXPECT_EQ(d.check, "role") << method;
  }
  EXPECT_GT(authorizer_.denied(), 0u);
}

TEST_F(AuthorizerTest, AnInboxIsItsHoldersOnly) {
  namespace nv1 = ntm::notifications::v1;
  const auto list = [&](const Principal& p, const std::string& inbox) {
    nv1::ListNotificationsRequest r;
    r.set_parent(inbox);
    return Call(p, "/ntm.notifications.v1.NotificationService/ListNotifications", r);
  };
  // A commune's office reads its own inbox; the district above it does not, nor another commune.
  EXPECT_TRUE(list(ban_bo_, "units/03424").allowed);
  Decision d = list(nnptnt_, "units/03424");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.check, "owner");
  EXPECT_THAT(d.reason, HasSubstr("units/03424 belongs to its holder only"));
  EXPECT_TRUE(list(nnptnt_, "units/106").allowed) << "the standing office's own inbox";
  // An agency reads its agency's inbox, not the district's it sits in.
  EXPECT_TRUE(list(yte_, "agencies/tam-duong-yte").allowed);
  EXPECT_FALSE(list(yte_, "agencies/tam-duong-bhxh").allowed);
  EXPECT_FALSE(list(yte_, "units/106").allowed);
  // A person's own inbox.
  EXPECT_TRUE(list(ban_bo_, "principals/can-bo-ban-bo").allowed);
  EXPECT_FALSE(list(province_, "principals/can-bo-ban-bo").allowed);
  // Names inside an inbox are checked by its holder part.
  nv1::DeleteSubscriptionRequest del;
  del.set_name("units/03424/subscriptions/7");
  EXPECT_TRUE(
      Call(ban_bo_, "/ntm.notifications.v1.NotificationService/DeleteSubscription", del).allowed);
  // Something that is not an inbox is refused before any decision.
  const CompiledRule* rule =
      table_.Find("/ntm.notifications.v1.NotificationService/ListNotifications");
  nv1::ListNotificationsRequest bad;
  bad.set_parent("agencies/Tam Đường");
  EXPECT_THAT(std::string(ExtractFacts(*rule, bad).status().message()),
              HasSubstr("parent: 'agencies/Tam Đường' is not an inbox"));
}

}  // namespace
}  // namespace ntm::gateway
