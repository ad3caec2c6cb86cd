// The catalog (thresholds set by the province office, recorded with their legal source) and the
// directory (units, agencies, who owns which indicator), and how both feed the evaluation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "services/assessment/tests/integration/integration_helpers.h"
#include "services/assessment/tests/test_env.h"

namespace ntm::assessment::testing {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSource[] =
    "Quyết định 1285/QĐ-UBND ngày 27/9/2022 của UBND tỉnh Lai Châu, mục 17.11";
constexpr char kProvinceOfficer[] = "vp-dieu-phoi-1";
constexpr char kStandingOfficer[] = "nnptnt-1";

v1::Threshold MakeThreshold(int year, std::optional<double> value,
                            v1::ThresholdStatus status = v1::THRESHOLD_STATUS_OFFICIAL) {
  v1::Threshold t;
  t.set_year(year);
  if (value.has_value()) {
    t.set_value(*value);
    t.set_status(status);
  }
  return t;
}

class CatalogDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ServiceEnv::Start();
    ASSERT_NE(env_, nullptr);
  }

  // An UpdateIndicator request replacing the thresholds of `code` with `thresholds`.
  v1::UpdateIndicatorRequest ThresholdUpdate(const std::string& code,
                                             const std::vector<v1::Threshold>& thresholds,
                                             const std::string& source = kSource) {
    v1::UpdateIndicatorRequest req;
    *req.mutable_indicator() = FindIndicator(GetSet(*env_), code);
    req.mutable_indicator()->clear_thresholds();
    for (const auto& t : thresholds) {
      *req.mutable_indicator()->add_thresholds() = t;
    }
    req.mutable_update_mask()->add_paths("thresholds");
    req.set_source(source);
    return req;
  }

  grpc::Status UpdateIndicator(const v1::UpdateIndicatorRequest& req, v1::Indicator* out) {
    v1::UpdateIndicatorResponse resp;
    grpc::Status s = env_->catalog().UpdateIndicator(
        ServiceEnv::Context(kProvinceOfficer, kProvinceOffice).get(), req, &resp);
    if (out != nullptr) {
      *out = resp.indicator();
    }
    return s;
  }

  v1::ListOwnershipsResponse ListOwnerships(const std::string& unit = kTamDuong,
                                            const std::string& agency = "") {
    v1::ListOwnershipsRequest req;
    req.set_unit(unit);
    req.set_criteria_set(kSet);
    req.set_agency(agency);
    v1::ListOwnershipsResponse resp;
    EXPECT_THAT(env_->directory().ListOwnerships(ServiceEnv::Context("reader").get(), req, &resp),
                GrpcOk());
    return resp;
  }

  static std::map<std::string, std::string> Owners(
      const google::protobuf::RepeatedPtrField<v1::IndicatorOwner>& owners) {
    std::map<std::string, std::string> out;
    for (const auto& o : owners) {
      out[o.indicator_code()] = o.agency();
    }
    return out;
  }

  static v1::OwnershipAssignment Assign(const std::string& criterion, const std::string& indicator,
                                        const std::string& agency) {
    v1::OwnershipAssignment a;
    a.set_criterion_code(criterion);
    a.set_indicator_code(indicator);
    a.set_agency(agency);
    return a;
  }

  grpc::Status UpdateOwnerships(const std::string& etag,
                                const std::vector<v1::OwnershipAssignment>& assignments,
                                v1::UpdateOwnershipsResponse* out,
                                const std::string& unit = kTamDuong,
                                const std::string& set = kSet) {
    v1::UpdateOwnershipsRequest req;
    req.set_unit(unit);
    req.set_criteria_set(set);
    req.set_etag(etag);
    for (const auto& a : assignments) {
      *req.add_assignments() = a;
    }
    v1::UpdateOwnershipsResponse resp;
    grpc::Status s = env_->directory().UpdateOwnerships(
        ServiceEnv::Context(kStandingOfficer, kNnptnt).get(), req, &resp);
    if (out != nullptr) {
      *out = resp;
    }
    return s;
  }

  grpc::Status CreateUnit(const std::string& parent, const std::string& code,
                          const std::string& display_name, v1::UnitLevel level,
                          const std::string& kind, v1::Unit* out) {
    v1::CreateUnitRequest req;
    req.set_parent(parent);
    req.mutable_unit()->set_code(code);
    req.mutable_unit()->set_display_name(display_name);
    req.mutable_unit()->set_level(level);
    req.mutable_unit()->set_kind(kind);
    v1::CreateUnitResponse resp;
    grpc::Status s =
        env_->directory().CreateUnit(ServiceEnv::Context("can-bo-ban-bo").get(), req, &resp);
    if (out != nullptr) {
      *out = resp.unit();
    }
    return s;
  }

  // Bản Bo's assessment with 17.11 at 45 %.
  v1::Assessment BanBoWith1711At45() {
    v1::Assessment a = MustCreate(*env_, kBanBo);
    v1::Assessment after;
    EXPECT_THAT(SetValues(*env_, a.name(), a.etag(), {NumberValue("17.11", 45)}, &after), GrpcOk());
    return after;
  }

  std::unique_ptr<ServiceEnv> env_;
};

// ---- catalog -------------------------------------------------------------------------------

TEST_F(CatalogDirectoryTest, NewThresholdChangesTheEvaluationAndIsRecordedWithItsSource) {
  BanBoWith1711At45();
  v1::IndicatorStatus st = IndicatorIn(MustGetStatus(*env_, kBanBo), "17.11");
  EXPECT_EQ(st.result(), v1::INDICATOR_RESULT_MET);  // demo threshold 40 %
  EXPECT_DOUBLE_EQ(st.threshold(), 40);
  EXPECT_EQ(st.threshold_status(), v1::THRESHOLD_STATUS_DEMO);
  EXPECT_THAT(GetSet(*env_).unverified_threshold_codes(), Contains("17.11"));

  v1::UpdateIndicatorRequest req = ThresholdUpdate("17.11", {MakeThreshold(0, 50)});
  const std::string old_etag = req.indicator().etag();
  env_->clock().Advance(absl::Hours(1));
  v1::Indicator updated;
  ASSERT_THAT(UpdateIndicator(req, &updated), GrpcOk());
  EXPECT_NE(updated.etag(), old_etag);
  EXPECT_EQ(updated.updated_by(), kProvinceOfficer);
  ASSERT_EQ(updated.thresholds_size(), 1);
  EXPECT_EQ(updated.thresholds(0).year(), 0);
  EXPECT_DOUBLE_EQ(updated.thresholds(0).value(), 50);
  EXPECT_EQ(updated.thresholds(0).status(), v1::THRESHOLD_STATUS_OFFICIAL);
  EXPECT_EQ(updated.thresholds(0).source(), kSource);
  EXPECT_EQ(updated.thresholds(0).updated_by(), kProvinceOfficer);

  // The change is recorded with who made it and the source it cites, Vietnamese text intact.
  EXPECT_EQ(env_->QueryInt("SELECT COUNT(*) FROM catalog_changes"), 1);
  EXPECT_EQ(env_->QueryString("SELECT actor FROM catalog_changes"), kProvinceOfficer);
  EXPECT_EQ(env_->QueryString("SELECT source FROM catalog_changes"), kSource);
  EXPECT_EQ(env_->QueryString("SELECT indicator_code FROM catalog_changes"), "17.11");
  EXPECT_THAT(env_->QueryString("SELECT detail FROM catalog_changes"), HasSubstr("50"));
  EXPECT_EQ(env_->QueryString("SELECT source FROM thresholds WHERE indicator_code = '17.11'"),
            kSource);

  // 45 % no longer meets it, at once.
  st = IndicatorIn(MustGetStatus(*env_, kBanBo), "17.11");
  EXPECT_EQ(st.result(), v1::INDICATOR_RESULT_NOT_MET);
  EXPECT_DOUBLE_EQ(st.threshold(), 50);
  EXPECT_EQ(st.threshold_status(), v1::THRESHOLD_STATUS_OFFICIAL);
  const v1::CriteriaSet set = GetSet(*env_);
  EXPECT_THAT(set.unverified_threshold_codes(), Not(Contains("17.11")));
  EXPECT_EQ(FindIndicator(set, "17.11").etag(), updated.etag());

  // Back to 40 with the new etag: met again; a second change row.
  req = ThresholdUpdate("17.11", {MakeThreshold(0, 40)});
  ASSERT_EQ(req.indicator().etag(), updated.etag());
  ASSERT_THAT(UpdateIndicator(req, &updated), GrpcOk());
  EXPECT_EQ(IndicatorIn(MustGetStatus(*env_, kBanBo), "17.11").result(), v1::INDICATOR_RESULT_MET);
  EXPECT_EQ(env_->QueryInt("SELECT COUNT(*) FROM catalog_changes"), 2);
}

TEST_F(CatalogDirectoryTest, UpdateIndicatorRefusesBadEdits) {
  // One good change first, so that the etag read before it is stale.
  v1::UpdateIndicatorRequest stale = ThresholdUpdate("17.11", {MakeThreshold(0, 45)});
  ASSERT_THAT(UpdateIndicator(stale, nullptr), GrpcOk());
  const std::string before = env_->Snapshot();

  struct Case {
    std::string what;
    v1::UpdateIndicatorRequest req;
    grpc::StatusCode code;
    std::vector<std::string> message_parts;
  };
  std::vector<Case> cases;
  cases.push_back({"stale etag", stale, grpc::StatusCode::ABORTED, {"etag"}});
  {
    v1::UpdateIndicatorRequest r = ThresholdUpdate("17.11", {MakeThreshold(0, 50)});
    r.mutable_indicator()->clear_etag();
    cases.push_back({"missing etag", r, grpc::StatusCode::INVALID_ARGUMENT, {"etag"}});
  }
  cases.push_back({"missing source",
                   ThresholdUpdate("17.11", {MakeThreshold(0, 50)}, ""),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   {"source"}});
  cases.push_back({"blank source",
                   ThresholdUpdate("17.11", {MakeThreshold(0, 50)}, "  \t "),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   {"source"}});
  cases.push_back({"120 %",
                   ThresholdUpdate("17.11", {MakeThreshold(0, 120)}),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   {"indicator.thresholds[0].value"}});
  cases.push_back({"negative percentage",
                   ThresholdUpdate("17.11", {MakeThreshold(0, -1)}),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   {"indicator.thresholds[0].value"}});
  cases.push_back({"NaN",
                   ThresholdUpdate("17.11", {MakeThreshold(0, std::nan(""))}),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   {"indicator.thresholds[0].value"}});
  cases.push_back({"negative amount",
                   ThresholdUpdate("10", {MakeThreshold(2023, -39)}),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   {"indicator.thresholds[0].value"}});
  cases.push_back({"year after the edition",
                   ThresholdUpdate("17.11", {MakeThreshold(2026, 50)}),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   {"indicator.thresholds[0].year", "2026"}});
  cases.push_back({"year before the edition",
                   ThresholdUpdate("10", {MakeThreshold(2021, 30)}),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   {"indicator.thresholds[0].year", "2021"}});
  cases.push_back({"the same year twice",
                   ThresholdUpdate("10", {MakeThreshold(2024, 42), MakeThreshold(2024, 43)}),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   {"indicator.thresholds[1].year"}});
  cases.push_back({"a value for a yes/no indicator",
                   ThresholdUpdate("17.3", {MakeThreshold(0, 1)}),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   {"indicator.thresholds[0].value", "17.3"}});
  cases.push_back({"a value for a none-allowed indicator",
                   ThresholdUpdate("9.1", {MakeThreshold(0, 0)}),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   {"indicator.thresholds[0].value", "9.1"}});
  cases.push_back({"a value with status NOT_SET",
                   ThresholdUpdate("17.11", {MakeThreshold(0, 50, v1::THRESHOLD_STATUS_NOT_SET)}),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   {"indicator.thresholds[0].status"}});
  cases.push_back({"thresholds in the mask but none given",
                   ThresholdUpdate("17.11", {}),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   {"indicator.thresholds"}});
  {
    v1::UpdateIndicatorRequest r = ThresholdUpdate("17.11", {MakeThreshold(0, 50)});
    r.mutable_update_mask()->add_paths("measure");
    cases.push_back(
        {"unknown mask path", r, grpc::StatusCode::INVALID_ARGUMENT, {"update_mask", "measure"}});
  }
  {
    v1::UpdateIndicatorRequest r = ThresholdUpdate("17.11", {MakeThreshold(0, 50)});
    r.clear_update_mask();
    cases.push_back({"empty mask", r, grpc::StatusCode::INVALID_ARGUMENT, {"update_mask"}});
  }
  {
    v1::UpdateIndicatorRequest r = ThresholdUpdate("17.11", {});
    r.mutable_update_mask()->set_paths(0, "title_vi");
    r.mutable_indicator()->set_title_vi("  ");
    cases.push_back(
        {"blank wording", r, grpc::StatusCode::INVALID_ARGUMENT, {"indicator.title_vi"}});
  }
  {
    v1::UpdateIndicatorRequest r = ThresholdUpdate("17.11", {MakeThreshold(0, 50)});
    r.mutable_indicator()->set_name("criteriaSets/lai-chau-2022/indicators/17.99");
    cases.push_back({"unknown indicator", r, grpc::StatusCode::NOT_FOUND, {"17.99"}});
  }
  {
    v1::UpdateIndicatorRequest r = ThresholdUpdate("17.11", {MakeThreshold(0, 50)});
    r.mutable_indicator()->set_name("17.11");
    cases.push_back({"malformed name", r, grpc::StatusCode::INVALID_ARGUMENT, {"indicator.name"}});
  }
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    grpc::Status s = UpdateIndicator(c.req, nullptr);
    EXPECT_EQ(s.error_code(), c.code) << s.error_message();
    for (const std::string& part : c.message_parts) {
      EXPECT_THAT(s.error_message(), HasSubstr(part));
    }
    EXPECT_TRUE(SameRows(before, env_->Snapshot()));
  }
}

TEST_F(CatalogDirectoryTest, ClearedThresholdMakesAValueThresholdNotSet) {
  BanBoWith1711At45();
  v1::Indicator updated;
  ASSERT_THAT(UpdateIndicator(ThresholdUpdate("17.11", {MakeThreshold(0, std::nullopt)}), &updated),
              GrpcOk());
  ASSERT_EQ(updated.thresholds_size(), 1);
  EXPECT_FALSE(updated.thresholds(0).has_value());
  EXPECT_EQ(updated.thresholds(0).status(), v1::THRESHOLD_STATUS_NOT_SET);
  EXPECT_EQ(env_->QueryInt("SELECT COUNT(*) FROM thresholds WHERE indicator_code = '17.11' AND "
                           "value IS NULL"),
            1);

  v1::CommuneStatus status = MustGetStatus(*env_, kBanBo);
  const v1::IndicatorStatus st = IndicatorIn(status, "17.11");
  EXPECT_EQ(st.result(), v1::INDICATOR_RESULT_THRESHOLD_NOT_SET);
  EXPECT_FALSE(st.has_threshold());
  EXPECT_EQ(st.threshold_status(), v1::THRESHOLD_STATUS_NOT_SET);
  EXPECT_EQ(CriterionIn(status, "17").result(), v1::CRITERION_RESULT_NOT_MET);
  EXPECT_THAT(GetSet(*env_).missing_threshold_codes(), ElementsAre("17.11"));

  // The district matrix counts it among the communes that have not met 17.11.
  v1::GetDistrictMatrixRequest mreq;
  mreq.set_unit(kTamDuong);
  mreq.set_as_of_date(kAsOf);
  v1::GetDistrictMatrixResponse m;
  ASSERT_THAT(env_->assessments().GetDistrictMatrix(ServiceEnv::Context("reader").get(), mreq, &m),
              GrpcOk());
  for (const auto& gap : m.gaps()) {
    if (gap.indicator_code() == "17.11") {
      EXPECT_THAT(gap.units_not_met(), ElementsAre(kBanBo));
      EXPECT_TRUE(gap.units_no_data().empty());
    }
  }

  // A threshold for 2023 alone applies to an assessment as of 31/12/2023.
  ASSERT_THAT(UpdateIndicator(ThresholdUpdate("17.11", {MakeThreshold(2023, 45)}), nullptr),
              GrpcOk());
  EXPECT_EQ(IndicatorIn(MustGetStatus(*env_, kBanBo), "17.11").result(), v1::INDICATOR_RESULT_MET);
}

TEST(CatalogWithoutDemoTest, NumericIndicatorsHaveNoThresholdAndCannotBeMet) {
  EnvOptions options;
  options.data_files = {"data/units/lai-chau.json", "data/catalog/lai-chau-2022.json"};
  std::unique_ptr<ServiceEnv> env = ServiceEnv::Start(options);
  ASSERT_NE(env, nullptr);
  const v1::CriteriaSet set = GetSet(*env);

  // Every indicator measured by a number has no known threshold; the yes/no and none-allowed
  // ones need none. NOTE: the brief expected 27; data/catalog/lai-chau-2022.json has 28 numeric
  // indicators (2.1–2.4, 3.1, 4.2, 5, 6.3, 9.2, 10, 11, 12.1, 12.2, 14.2, 15.1, 15.3, 15.4, 16,
  // 17.1, 17.2, 17.4, 17.6–17.12), all without a threshold.
  std::vector<std::string> numeric;
  for (const auto& c : set.criteria()) {
    for (const auto& i : c.indicators()) {
      if (i.measure() != v1::MEASURE_BOOLEAN && i.measure() != v1::MEASURE_NONE_ALLOWED) {
        numeric.push_back(i.code());
      }
    }
  }
  EXPECT_EQ(numeric.size(), 28u);
  EXPECT_THAT(std::vector<std::string>(set.missing_threshold_codes().begin(),
                                       set.missing_threshold_codes().end()),
              ::testing::ElementsAreArray(numeric));
  EXPECT_TRUE(set.unverified_threshold_codes().empty());

  v1::Assessment a = MustCreate(*env, kBanBo);
  ASSERT_THAT(SetValues(*env, a.name(), a.etag(),
                        {NumberValue("17.11", 45), NumberValue("10", 60), BoolValue("1.1", true),
                         CountValue("9.1", 0)},
                        nullptr),
              GrpcOk());
  const v1::CommuneStatus status = MustGetStatus(*env, kBanBo);
  EXPECT_EQ(IndicatorIn(status, "17.11").result(), v1::INDICATOR_RESULT_THRESHOLD_NOT_SET);
  EXPECT_EQ(IndicatorIn(status, "10").result(), v1::INDICATOR_RESULT_THRESHOLD_NOT_SET);
  EXPECT_EQ(IndicatorIn(status, "17.12").result(), v1::INDICATOR_RESULT_NO_DATA);
  EXPECT_EQ(IndicatorIn(status, "1.1").result(), v1::INDICATOR_RESULT_MET);
  EXPECT_EQ(IndicatorIn(status, "9.1").result(), v1::INDICATOR_RESULT_MET);
  EXPECT_EQ(CriterionIn(status, "10").result(), v1::CRITERION_RESULT_NOT_MET);
  EXPECT_FALSE(status.uses_demo_thresholds());
  // Without the demo ownership table nobody owns anything.
  EXPECT_EQ(CriterionIn(status, "15").review_state(), v1::REVIEW_STATE_NO_OWNER);
}

// ---- directory -----------------------------------------------------------------------------

TEST_F(CatalogDirectoryTest, TamDuongHasThirteenCommunes) {
  v1::GetUnitRequest req;
  req.set_name(kTamDuong);
  v1::GetUnitResponse resp;
  ASSERT_THAT(env_->directory().GetUnit(ServiceEnv::Context("reader").get(), req, &resp), GrpcOk());
  const v1::Unit& district = resp.unit();
  EXPECT_EQ(district.display_name(), "Huyện Tam Đường");
  EXPECT_EQ(district.level(), v1::UNIT_LEVEL_DISTRICT);
  EXPECT_EQ(district.parent(), kLaiChau);
  ASSERT_EQ(district.children_size(), 13);
  std::map<std::string, std::string> names;
  std::string previous;
  for (const auto& c : district.children()) {
    EXPECT_EQ(c.level(), v1::UNIT_LEVEL_COMMUNE) << c.name();
    EXPECT_EQ(c.parent(), kTamDuong);
    EXPECT_LT(previous, c.code());
    previous = c.code();
    names[c.name()] = c.display_name();
  }
  EXPECT_EQ(names[kBanBo], "Xã Bản Bo");
  EXPECT_EQ(names[kBanHon], "Xã Bản Hon");
  EXPECT_EQ(names["units/03390"], "Thị trấn Tam Đường");
  EXPECT_EQ(names["units/03412"], "Xã Bình Lư");

  // Bản Bo's villages: one from the official list and six demo ones.
  req.set_name(kBanBo);
  ASSERT_THAT(env_->directory().GetUnit(ServiceEnv::Context("reader").get(), req, &resp), GrpcOk());
  EXPECT_EQ(resp.unit().kind(), "Xã");
  ASSERT_EQ(resp.unit().children_size(), 7);
  EXPECT_EQ(resp.unit().children(0).name(), kBanNaKhuong);
  EXPECT_EQ(resp.unit().children(0).display_name(), "Bản Nà Khương");
  EXPECT_EQ(resp.unit().children(0).level(), v1::UNIT_LEVEL_VILLAGE);
  EXPECT_FALSE(resp.unit().children(0).demo());
  EXPECT_TRUE(resp.unit().children(1).demo());
}

TEST_F(CatalogDirectoryTest, ListUnitsPagesThroughTheProvincesCommunes) {
  v1::ListUnitsRequest req;
  req.set_parent(kLaiChau);
  req.set_level(v1::UNIT_LEVEL_COMMUNE);
  req.set_page_size(50);
  std::vector<std::string> codes;
  std::set<std::string> unique;
  std::vector<int> page_sizes;
  for (int page = 0; page < 10; ++page) {
    v1::ListUnitsResponse resp;
    ASSERT_THAT(env_->directory().ListUnits(ServiceEnv::Context("reader").get(), req, &resp),
                GrpcOk());
    page_sizes.push_back(resp.units_size());
    for (const auto& u : resp.units()) {
      EXPECT_EQ(u.level(), v1::UNIT_LEVEL_COMMUNE) << u.name();
      codes.push_back(u.code());
      unique.insert(u.code());
    }
    if (resp.next_page_token().empty()) {
      break;
    }
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_THAT(page_sizes, ElementsAre(50, 50, 6));
  EXPECT_EQ(codes.size(), 106u);
  EXPECT_EQ(unique.size(), 106u);
  EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
  EXPECT_TRUE(unique.count("03424"));
  EXPECT_TRUE(unique.count("03403"));  // a commune of Thành phố Lai Châu

  // The communes of one district, and the villages of one commune.
  req.Clear();
  req.set_parent(kTamDuong);
  req.set_level(v1::UNIT_LEVEL_COMMUNE);
  v1::ListUnitsResponse resp;
  ASSERT_THAT(env_->directory().ListUnits(ServiceEnv::Context("reader").get(), req, &resp),
              GrpcOk());
  EXPECT_EQ(resp.units_size(), 13);
  EXPECT_TRUE(resp.next_page_token().empty());
  req.set_parent(kBanBo);
  req.set_level(v1::UNIT_LEVEL_VILLAGE);
  ASSERT_THAT(env_->directory().ListUnits(ServiceEnv::Context("reader").get(), req, &resp),
              GrpcOk());
  EXPECT_EQ(resp.units_size(), 7);
  req.set_parent("units/99999");
  EXPECT_THAT(env_->directory().ListUnits(ServiceEnv::Context("reader").get(), req, &resp),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("units/99999")));
}

TEST_F(CatalogDirectoryTest, AgenciesAndOwnershipsOfTamDuong) {
  v1::ListAgenciesRequest req;
  req.set_unit(kTamDuong);
  v1::ListAgenciesResponse resp;
  ASSERT_THAT(env_->directory().ListAgencies(ServiceEnv::Context("reader").get(), req, &resp),
              GrpcOk());
  EXPECT_EQ(resp.agencies_size(), 13);
  std::vector<std::string> standing;
  std::map<std::string, std::string> names;
  std::string previous;
  for (const auto& a : resp.agencies()) {
    EXPECT_EQ(a.unit(), kTamDuong);
    EXPECT_LT(previous, a.name());
    previous = a.name();
    names[a.name()] = a.display_name();
    if (a.standing_office()) {
      standing.push_back(a.name());
    }
  }
  EXPECT_THAT(standing, ElementsAre(kNnptnt));
  EXPECT_EQ(names[kYte], "Phòng Y tế huyện Tam Đường");
  EXPECT_EQ(names[kBhxh], "Bảo hiểm xã hội huyện Tam Đường");
  req.set_unit("units/99999");
  EXPECT_THAT(env_->directory().ListAgencies(ServiceEnv::Context("reader").get(), req, &resp),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("units/99999")));

  const v1::ListOwnershipsResponse all = ListOwnerships();
  EXPECT_FALSE(all.etag().empty());
  EXPECT_EQ(all.indicator_owners_size(), 57);
  std::map<std::string, std::string> owner = Owners(all.indicator_owners());
  EXPECT_EQ(owner["15.1"], kBhxh);
  EXPECT_EQ(owner["15.2"], kYte);
  EXPECT_EQ(owner["15.4"], kYte);
  EXPECT_EQ(owner["17.1"], kNnptnt);
  EXPECT_EQ(owner["17.11"], kTnmt);
  bool bhxh_assignment = false;
  for (const auto& a : all.assignments()) {
    if (a.indicator_code() == "15.1") {
      bhxh_assignment = true;
      EXPECT_EQ(a.criterion_code(), "15");
      EXPECT_EQ(a.agency(), kBhxh);
    }
  }
  EXPECT_TRUE(bhxh_assignment);

  // Filtered to one agency.
  const v1::ListOwnershipsResponse bhxh = ListOwnerships(kTamDuong, kBhxh);
  ASSERT_EQ(bhxh.indicator_owners_size(), 1);
  EXPECT_EQ(bhxh.indicator_owners(0).indicator_code(), "15.1");
  ASSERT_EQ(bhxh.assignments_size(), 1);
  EXPECT_EQ(bhxh.assignments(0).indicator_code(), "15.1");
}

TEST_F(CatalogDirectoryTest, UpdateOwnershipsMovesAnIndicatorToAnotherAgency) {
  const v1::ListOwnershipsResponse before = ListOwnerships();
  v1::UpdateOwnershipsResponse resp;
  env_->clock().Advance(absl::Hours(2));
  ASSERT_THAT(UpdateOwnerships(before.etag(), {Assign("17", "17.11", kNnptnt)}, &resp), GrpcOk());
  EXPECT_NE(resp.etag(), before.etag());
  EXPECT_EQ(Owners(resp.indicator_owners())["17.11"], kNnptnt);
  EXPECT_EQ(Owners(resp.indicator_owners())["17.12"], kTnmt);

  const v1::ListOwnershipsResponse after = ListOwnerships();
  EXPECT_EQ(after.etag(), resp.etag());
  EXPECT_EQ(Owners(after.indicator_owners())["17.11"], kNnptnt);
  bool found = false;
  for (const auto& a : after.assignments()) {
    if (a.indicator_code() == "17.11") {
      found = true;
      EXPECT_EQ(a.agency(), kNnptnt);
      EXPECT_EQ(a.updated_by(), kStandingOfficer);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(env_->QueryInt("SELECT COUNT(*) FROM ownership_changes"), 1);
  EXPECT_EQ(env_->QueryString("SELECT new_agency_id FROM ownership_changes WHERE indicator_code = "
                              "'17.11'"),
            "tam-duong-nnptnt");
  EXPECT_EQ(env_->QueryString("SELECT actor FROM ownership_changes"), kStandingOfficer);
  EXPECT_EQ(env_->QueryString("SELECT unit_code FROM ownership_changes"), "106");

  // The new owner may push 17.11; the old one may not.
  v1::Assessment a = MustCreate(*env_, kBanBo);
  EXPECT_THAT(
      SetValues(*env_, a.name(), a.etag(), {NumberValue("17.11", 60)}, nullptr, "tnmt-1", kTnmt),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED, HasSubstr("17.11")));
  EXPECT_THAT(SetValues(*env_, a.name(), a.etag(), {NumberValue("17.11", 60)}, nullptr,
                        kStandingOfficer, kNnptnt),
              GrpcOk());
}

TEST_F(CatalogDirectoryTest, UpdateOwnershipsRefusesBadChanges) {
  const std::string stale = ListOwnerships().etag();
  v1::UpdateOwnershipsResponse resp;
  ASSERT_THAT(UpdateOwnerships(stale, {Assign("17", "17.11", kNnptnt)}, &resp), GrpcOk());
  const std::string etag = resp.etag();
  const std::string before = env_->Snapshot();

  struct Case {
    std::string what;
    std::string etag;
    std::vector<v1::OwnershipAssignment> assignments;
    grpc::StatusCode code;
    std::vector<std::string> message_parts;
    std::string unit = kTamDuong;
    std::string set = kSet;
  };
  const std::vector<Case> cases = {
      {"stale etag", stale, {Assign("17", "17.11", kTnmt)}, grpc::StatusCode::ABORTED, {"etag"}},
      {"missing etag",
       "",
       {Assign("17", "17.11", kTnmt)},
       grpc::StatusCode::INVALID_ARGUMENT,
       {"etag"}},
      {"an agency of another unit",
       etag,
       {Assign("17", "17.11", kProvinceOffice)},
       grpc::StatusCode::INVALID_ARGUMENT,
       {"assignments[0].agency", "units/12"}},
      {"an unknown agency",
       etag,
       {Assign("17", "17.11", "agencies/khong-ton-tai")},
       grpc::StatusCode::INVALID_ARGUMENT,
       {"assignments[0].agency", "khong-ton-tai"}},
      {"a malformed agency name",
       etag,
       {Assign("17", "17.11", "tam-duong-tnmt")},
       grpc::StatusCode::INVALID_ARGUMENT,
       {"assignments[0].agency"}},
      {"an unknown indicator",
       etag,
       {Assign("17", "17.99", kTnmt)},
       grpc::StatusCode::INVALID_ARGUMENT,
       {"assignments[0].indicator_code", "17.99"}},
      {"an indicator of another criterion",
       etag,
       {Assign("17", "15.1", kTnmt)},
       grpc::StatusCode::INVALID_ARGUMENT,
       {"assignments[0].indicator_code", "15.1"}},
      {"an unknown criterion",
       etag,
       {Assign("20", "", kTnmt)},
       grpc::StatusCode::INVALID_ARGUMENT,
       {"assignments[0].criterion_code", "20"}},
      {"one good change and one bad",
       etag,
       {Assign("17", "17.12", kNnptnt), Assign("17", "17.99", kTnmt)},
       grpc::StatusCode::INVALID_ARGUMENT,
       {"assignments[1].indicator_code"}},
      {"the same indicator twice",
       etag,
       {Assign("17", "17.12", kNnptnt), Assign("17", "17.12", kTnmt)},
       grpc::StatusCode::INVALID_ARGUMENT,
       {"assignments[1]"}},
      {"no assignments", etag, {}, grpc::StatusCode::INVALID_ARGUMENT, {"assignments"}},
      {"an unknown unit",
       etag,
       {Assign("17", "17.11", kTnmt)},
       grpc::StatusCode::NOT_FOUND,
       {"units/99999"},
       "units/99999"},
      {"an unknown criteria set",
       etag,
       {Assign("17", "17.11", kTnmt)},
       grpc::StatusCode::NOT_FOUND,
       {"khong-co"},
       kTamDuong,
       "criteriaSets/khong-co"},
      // Tam Đường's agencies cannot be assigned in another district.
      {"an agency of another district",
       "\"0\"",
       {Assign("15", "15.1", kBhxh)},
       grpc::StatusCode::INVALID_ARGUMENT,
       {"assignments[0].agency", "units/106"},
       "units/107"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    grpc::Status s = UpdateOwnerships(c.etag, c.assignments, nullptr, c.unit, c.set);
    EXPECT_EQ(s.error_code(), c.code) << s.error_message();
    for (const std::string& part : c.message_parts) {
      EXPECT_THAT(s.error_message(), HasSubstr(part));
    }
    EXPECT_TRUE(SameRows(before, env_->Snapshot()));
  }
}

TEST_F(CatalogDirectoryTest, RevokedOwnershipStopsTheAgencyAtOnce) {
  v1::Assessment a = MustCreate(*env_, kBanBo);
  v1::Assessment after;
  ASSERT_THAT(
      SetValues(*env_, a.name(), a.etag(), {NumberValue("15.1", 91)}, &after, "bhxh-system", kBhxh),
      GrpcOk());

  v1::UpdateOwnershipsResponse resp;
  ASSERT_THAT(UpdateOwnerships(ListOwnerships().etag(), {Assign("15", "15.1", "")}, &resp),
              GrpcOk());
  // 15.1 falls back to criterion 15's default owner.
  EXPECT_EQ(Owners(resp.indicator_owners())["15.1"], kYte);
  for (const auto& assignment : resp.assignments()) {
    EXPECT_NE(assignment.agency(), kBhxh);
  }
  EXPECT_EQ(env_->QueryString("SELECT old_agency_id FROM ownership_changes WHERE "
                              "indicator_code = '15.1'"),
            "tam-duong-bhxh");
  EXPECT_EQ(env_->QueryString("SELECT new_agency_id FROM ownership_changes WHERE "
                              "indicator_code = '15.1'"),
            "");

  const std::string before = env_->Snapshot();
  EXPECT_THAT(SetValues(*env_, a.name(), after.etag(), {NumberValue("15.1", 95)}, nullptr,
                        "bhxh-system", kBhxh),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED,
                           AllOf(HasSubstr("15.1"), HasSubstr("tam-duong-bhxh"))));
  EXPECT_TRUE(SameRows(before, env_->Snapshot()));
  EXPECT_TRUE(ListOwnerships(kTamDuong, kBhxh).indicator_owners().empty());
  // The health office now owns it.
  ASSERT_THAT(
      SetValues(*env_, a.name(), after.etag(), {NumberValue("15.1", 95)}, &after, "y-te-1", kYte),
      GrpcOk());
  // Social insurance can no longer review criterion 15, and 15 waits on the health office only.
  ASSERT_THAT(Submit(*env_, a.name(), after.etag(), &after), GrpcOk());
  EXPECT_THAT(Review(*env_, a.name(), after.etag(), "15", v1::REVIEW_VERDICT_CONFIRMED, "",
                     "bhxh-system", kBhxh, nullptr),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED, HasSubstr("tam-duong-bhxh")));
  ASSERT_THAT(Review(*env_, a.name(), after.etag(), "15", v1::REVIEW_VERDICT_CONFIRMED, "",
                     "y-te-1", kYte, nullptr),
              GrpcOk());
  EXPECT_EQ(CriterionIn(MustGetStatus(*env_, kBanBo), "15").review_state(),
            v1::REVIEW_STATE_CONFIRMED);
}

TEST_F(CatalogDirectoryTest, CreateUnitAddsVillagesOnly) {
  v1::Unit created;
  ASSERT_THAT(
      CreateUnit(kBanBo, "03424950", "Bản Nà Đông Mới", v1::UNIT_LEVEL_VILLAGE, "Bản", &created),
      GrpcOk());
  EXPECT_EQ(created.name(), "units/03424950");
  EXPECT_EQ(created.parent(), kBanBo);
  EXPECT_EQ(created.display_name(), "Bản Nà Đông Mới");
  EXPECT_EQ(created.level(), v1::UNIT_LEVEL_VILLAGE);
  EXPECT_EQ(created.kind(), "Bản");
  EXPECT_EQ(env_->QueryString("SELECT display_name FROM units WHERE code = '03424950'"),
            "Bản Nà Đông Mới");
  EXPECT_EQ(env_->QueryString("SELECT created_by FROM units WHERE code = '03424950'"),
            "can-bo-ban-bo");
  v1::GetUnitRequest get;
  get.set_name(kBanBo);
  v1::GetUnitResponse unit;
  ASSERT_THAT(env_->directory().GetUnit(ServiceEnv::Context("reader").get(), get, &unit), GrpcOk());
  EXPECT_EQ(unit.unit().children_size(), 8);

  const std::string before = env_->Snapshot();
  struct Case {
    std::string what;
    std::string parent;
    std::string code;
    std::string display_name;
    v1::UnitLevel level;
    std::string kind;
    grpc::StatusCode code_expected;
    std::vector<std::string> message_parts;
  };
  const std::vector<Case> cases = {
      {"a commune under a village",
       kBanNaKhuong,
       "03424951",
       "Xã Mới",
       v1::UNIT_LEVEL_COMMUNE,
       "Xã",
       grpc::StatusCode::INVALID_ARGUMENT,
       {"unit.level"}},
      {"a village under a village",
       kBanNaKhuong,
       "03424952",
       "Bản Con",
       v1::UNIT_LEVEL_VILLAGE,
       "Bản",
       grpc::StatusCode::INVALID_ARGUMENT,
       {"unit.level"}},
      {"a district under a commune",
       kBanBo,
       "953",
       "Huyện Mới",
       v1::UNIT_LEVEL_DISTRICT,
       "Huyện",
       grpc::StatusCode::INVALID_ARGUMENT,
       {"unit.level"}},
      {"a code in use",
       kBanBo,
       "03424001",
       "Bản Nà Khương",
       v1::UNIT_LEVEL_VILLAGE,
       "Bản",
       grpc::StatusCode::ALREADY_EXISTS,
       {"units/03424001"}},
      {"a code in use under another parent",
       kBanHon,
       "03424950",
       "Bản Trùng Mã",
       v1::UNIT_LEVEL_VILLAGE,
       "Bản",
       grpc::StatusCode::ALREADY_EXISTS,
       {"units/03424950"}},
      {"a code in use by a commune",
       kBanBo,
       "03421",
       "Bản Trùng Mã",
       v1::UNIT_LEVEL_VILLAGE,
       "Bản",
       grpc::StatusCode::ALREADY_EXISTS,
       {"units/03421"}},
      {"a code that is not digits",
       kBanBo,
       "BAN-01",
       "Bản Mới",
       v1::UNIT_LEVEL_VILLAGE,
       "Bản",
       grpc::StatusCode::INVALID_ARGUMENT,
       {"unit.code"}},
      {"no display name",
       kBanBo,
       "03424954",
       "  ",
       v1::UNIT_LEVEL_VILLAGE,
       "Bản",
       grpc::StatusCode::INVALID_ARGUMENT,
       {"unit.display_name"}},
      {"no level",
       kBanBo,
       "03424955",
       "Bản Mới",
       v1::UNIT_LEVEL_UNSPECIFIED,
       "Bản",
       grpc::StatusCode::INVALID_ARGUMENT,
       {"unit.level"}},
      {"an unknown parent",
       "units/99999",
       "99999001",
       "Bản Mới",
       v1::UNIT_LEVEL_VILLAGE,
       "Bản",
       grpc::StatusCode::NOT_FOUND,
       {"units/99999"}},
      {"a malformed parent",
       "03424",
       "03424956",
       "Bản Mới",
       v1::UNIT_LEVEL_VILLAGE,
       "Bản",
       grpc::StatusCode::INVALID_ARGUMENT,
       {"parent"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    grpc::Status s = CreateUnit(c.parent, c.code, c.display_name, c.level, c.kind, nullptr);
    EXPECT_EQ(s.error_code(), c.code_expected) << s.error_message();
    for (const std::string& part : c.message_parts) {
      EXPECT_THAT(s.error_message(), HasSubstr(part));
    }
    EXPECT_TRUE(SameRows(before, env_->Snapshot()));
  }
}

TEST_F(CatalogDirectoryTest, ListAssessmentsOfADistrictPages) {
  const std::vector<std::string> communes = {"units/03390", "units/03394", kBinhLu, kBanHon,
                                             kBanBo};
  for (const std::string& c : communes) {
    MustCreate(*env_, c, "2023-12-31");
  }
  MustCreate(*env_, kBanBo, "2022-12-31");
  MustCreate(*env_, kBanHon, "2022-12-31");
  MustCreate(*env_, kSungPhai, "2023-12-31");  // another district
  v1::Assessment submitted = MustGet(*env_, "units/03412/assessments/2023-12-31");
  ASSERT_THAT(Submit(*env_, submitted.name(), submitted.etag(), nullptr), GrpcOk());

  v1::ListAssessmentsRequest req;
  req.set_parent(kTamDuong);
  req.set_page_size(3);
  std::vector<std::string> names;
  std::vector<int> page_sizes;
  for (int page = 0; page < 10; ++page) {
    v1::ListAssessmentsResponse resp;
    ASSERT_THAT(
        env_->assessments().ListAssessments(ServiceEnv::Context("reader").get(), req, &resp),
        GrpcOk());
    page_sizes.push_back(resp.assessments_size());
    for (const auto& a : resp.assessments()) {
      names.push_back(a.name());
      EXPECT_TRUE(a.values().empty());
      EXPECT_FALSE(a.etag().empty());
    }
    if (resp.next_page_token().empty()) {
      break;
    }
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_THAT(page_sizes, ElementsAre(3, 3, 1));
  // Newest as-of date first, then by commune code; nothing of another district; no duplicates.
  EXPECT_THAT(
      names, ElementsAre("units/03390/assessments/2023-12-31", "units/03394/assessments/2023-12-31",
                         "units/03412/assessments/2023-12-31", "units/03421/assessments/2023-12-31",
                         "units/03424/assessments/2023-12-31", "units/03421/assessments/2022-12-31",
                         "units/03424/assessments/2022-12-31"));

  auto list = [&](const std::string& parent, const std::string& date, v1::AssessmentState state) {
    v1::ListAssessmentsRequest r;
    r.set_parent(parent);
    r.set_as_of_date(date);
    r.set_state(state);
    v1::ListAssessmentsResponse resp;
    EXPECT_THAT(env_->assessments().ListAssessments(ServiceEnv::Context("reader").get(), r, &resp),
                GrpcOk());
    std::vector<std::string> out;
    for (const auto& a : resp.assessments()) {
      out.push_back(a.name());
    }
    return out;
  };
  EXPECT_THAT(
      list(kTamDuong, "2022-12-31", v1::ASSESSMENT_STATE_UNSPECIFIED),
      ElementsAre("units/03421/assessments/2022-12-31", "units/03424/assessments/2022-12-31"));
  EXPECT_THAT(list(kTamDuong, "", v1::ASSESSMENT_STATE_SUBMITTED),
              ElementsAre("units/03412/assessments/2023-12-31"));
  EXPECT_THAT(
      list(kBanBo, "", v1::ASSESSMENT_STATE_UNSPECIFIED),
      ElementsAre("units/03424/assessments/2023-12-31", "units/03424/assessments/2022-12-31"));
  EXPECT_EQ(list(kLaiChau, "", v1::ASSESSMENT_STATE_UNSPECIFIED).size(), 8u);
  v1::ListAssessmentsRequest unknown;
  unknown.set_parent("units/99999");
  v1::ListAssessmentsResponse resp;
  EXPECT_THAT(
      env_->assessments().ListAssessments(ServiceEnv::Context("reader").get(), unknown, &resp),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("units/99999")));
}

TEST_F(CatalogDirectoryTest, DistrictMatrixForADateWithoutAssessmentsIsEmpty) {
  MustCreate(*env_, kBanBo, "2023-12-31");  // another date: must not show
  v1::GetDistrictMatrixRequest req;
  req.set_unit(kTamDuong);
  req.set_as_of_date("2024-12-31");
  v1::GetDistrictMatrixResponse m;
  ASSERT_THAT(env_->assessments().GetDistrictMatrix(ServiceEnv::Context("reader").get(), req, &m),
              GrpcOk());
  EXPECT_EQ(m.unit(), kTamDuong);
  EXPECT_EQ(m.as_of_date(), "2024-12-31");
  EXPECT_FALSE(m.uses_demo_thresholds());
  ASSERT_EQ(m.rows_size(), 13);
  std::string previous;
  for (const auto& row : m.rows()) {
    SCOPED_TRACE(row.unit());
    EXPECT_LT(previous, row.unit());
    previous = row.unit();
    EXPECT_FALSE(row.unit_display_name().empty());
    EXPECT_TRUE(row.assessment().empty());
    EXPECT_EQ(row.state(), v1::ASSESSMENT_STATE_UNSPECIFIED);
    EXPECT_EQ(row.criteria_met(), 0);
    EXPECT_FALSE(row.ntm_standard_reached());
    for (int cell : row.cells()) {
      EXPECT_EQ(cell, v1::CRITERION_RESULT_UNSPECIFIED);
    }
  }
  EXPECT_EQ(m.rows(10).unit_display_name(), "Xã Bản Bo");
  for (const auto& gap : m.gaps()) {
    EXPECT_TRUE(gap.units_not_met().empty()) << gap.indicator_code();
    EXPECT_TRUE(gap.units_no_data().empty()) << gap.indicator_code();
  }
}

}  // namespace
}  // namespace ntm::assessment::testing
