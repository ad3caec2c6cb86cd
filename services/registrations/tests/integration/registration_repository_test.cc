// Registrations in MariaDB: one per commune and year even when two creates race, one change per
// village and year, content only in draft or returned, submission only when complete, every step
// kept with its outbox event; the district's model point chosen and replaced.
#include "services/registrations/storage/registration_repository.h"

#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "services/assessment/tests/test_env.h"

namespace ntm::registrations {
namespace {

using plans::PlanAction;
using ::testing::AllOf;
using ::testing::HasSubstr;

const absl::TimeZone kVietnam = absl::FixedTimeZone(7 * 3600);
const absl::Time kDeadline = absl::FromCivil(absl::CivilSecond(2024, 2, 10, 23, 59, 59), kVietnam);
const absl::Time kBefore = absl::FromCivil(absl::CivilSecond(2024, 2, 5, 8, 0, 0), kVietnam);
const absl::Time kAfter = absl::FromCivil(absl::CivilSecond(2024, 2, 12, 8, 0, 0), kVietnam);

class RegistrationRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pool = db::ConnectionPool::Create(assessment::testing::TestDbOptions());
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
    ASSERT_TRUE(db::ApplyMigrations(*pool_, db::RegistrationsMigrations()).ok());
    repo_ = std::make_unique<MySqlRegistrationRepository>(pool_.get());
  }
  void TearDown() override { assessment::testing::DropSchema(*pool_); }

  int64_t Count(const std::string& sql) { return assessment::testing::QueryIntOn(*pool_, sql); }

  static Registration Draft(const std::string& unit, int year = 2024) {
    Registration r;
    r.directive_id = year == 2024 ? "tam-duong-2024" : "tam-duong-2023";
    r.issuing_unit_code = "106";
    r.unit_code = unit;
    r.id = absl::StrCat(r.directive_id, ".", unit);
    r.year = year;
    r.unit_display_name = "Xã Bản Bo";
    r.unit_path = absl::StrCat("/12/106/", unit, "/");
    r.villages = {{unit + "001", "Bản Nà Khương"}, {unit + "002", "Bản Bo"}};
    r.known_indicators = {"17.3", "17.11"};
    return r;
  }

  static RegistrationContent Complete(const std::string& unit) {
    RegistrationContent c;
    c.model_point =
        ModelPoint{"Bản sáng - xanh - sạch - đẹp", "Bản Nà Khương", "Môi trường", {"17.3"}};
    c.changes = {{unit + "001", "Mỗi hộ một hố rác", "", {"17.11"}, "Rác ven suối", "Sạch"},
                 {unit + "002", "Trồng hoa hai bên đường", "", {}, "", ""}};
    for (EndorsementBody b : kAllBodies) {
      c.endorsements.push_back({b, "Nguyễn Văn A", absl::CivilDay(2024, 1, 20)});
    }
    return c;
  }

  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<MySqlRegistrationRepository> repo_;
};

TEST_F(RegistrationRepositoryTest, OneRegistrationPerCommuneAndYearEvenWhenTwoCreatesRace) {
  for (int round = 0; round < 5; ++round) {
    const std::string unit = absl::StrCat("0342", round);
    absl::Status results[2];
    std::thread a([&] { results[0] = repo_->Create(Draft(unit), "can-bo-a", kBefore).status(); });
    std::thread b([&] {
      Registration other = Draft(unit);
      other.directive_id = "tam-duong-2024-bo-sung";
      other.id = absl::StrCat(other.directive_id, ".", unit);
      results[1] = repo_->Create(other, "can-bo-b", kBefore).status();
    });
    a.join();
    b.join();
    EXPECT_NE(results[0].ok(), results[1].ok()) << results[0] << " / " << results[1];
    const absl::Status& lost = results[0].ok() ? results[1] : results[0];
    EXPECT_TRUE(absl::IsAlreadyExists(lost)) << lost;
    EXPECT_THAT(std::string(lost.message()), HasSubstr("one model point per commune and year"));
    EXPECT_EQ(
        Count(absl::StrCat("SELECT COUNT(*) FROM registrations WHERE unit_code = '", unit, "'")),
        1);
    EXPECT_EQ(Count(absl::StrCat("SELECT COUNT(*) FROM registration_villages WHERE "
                                 "village_code LIKE '",
                                 unit, "%'")),
              2);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE event_type = 'registration.create'"), 5);
  // Another year is another registration.
  EXPECT_TRUE(repo_->Create(Draft("03420", 2023), "can-bo-a", kBefore).ok());
}

TEST_F(RegistrationRepositoryTest, OneChangePerVillageAndYearAcrossRegistrations) {
  ASSERT_TRUE(repo_->Create(Draft("03424"), "can-bo-ban-bo", kBefore).ok());
  Registration other = Draft("03421");
  other.villages.push_back({"03424001", "Bản Nà Khương"});
  ASSERT_TRUE(repo_->Create(other, "can-bo-ban-hon", kBefore).ok());
  ASSERT_TRUE(
      repo_->UpdateContent("tam-duong-2024.03424", Complete("03424"), 1, "can-bo-ban-bo", kBefore)
          .ok());
  RegistrationContent claim;
  claim.changes = {{"03424001", "Cũng bản này", "", {}, "", ""}};
  auto s = repo_->UpdateContent("tam-duong-2024.03421", claim, 1, "can-bo-ban-hon", kBefore);
  EXPECT_TRUE(absl::IsAlreadyExists(s.status())) << s.status();
  EXPECT_THAT(
      std::string(s.status().message()),
      HasSubstr("village_changes[0].village: units/03424001 already has a change for 2024"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM village_changes WHERE registration_id = "
                  "'tam-duong-2024.03421'"),
            0);
  EXPECT_EQ(Count("SELECT version FROM registrations WHERE id = 'tam-duong-2024.03421'"), 1);
}

TEST_F(RegistrationRepositoryTest, SubmissionNeedsEverythingAndIsLateAfterTheDeadline) {
  ASSERT_TRUE(repo_->Create(Draft("03424"), "can-bo-ban-bo", kBefore).ok());
  const std::string id = "tam-duong-2024.03424";
  RegistrationContent partial = Complete("03424");
  partial.changes.pop_back();
  partial.endorsements.pop_back();
  ASSERT_TRUE(repo_->UpdateContent(id, partial, 0, "can-bo-ban-bo", kBefore).ok());
  auto s = repo_->Transition(id, PlanAction::kSubmit, 0, "can-bo-ban-bo", "", kDeadline, kBefore);
  EXPECT_TRUE(absl::IsFailedPrecondition(s.status())) << s.status();
  EXPECT_THAT(std::string(s.status().message()),
              AllOf(HasSubstr("Bản Bo (units/03424002) has no change registered"),
                    HasSubstr("Ban chỉ đạo các chương trình MTQG xã has not endorsed it")));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM registrations WHERE state = 'draft'"), 1);

  ASSERT_TRUE(repo_->UpdateContent(id, Complete("03424"), 0, "can-bo-ban-bo", kBefore).ok());
  auto submitted =
      repo_->Transition(id, PlanAction::kSubmit, 0, "can-bo-ban-bo", "", kDeadline, kAfter);
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(submitted->state, State::kSubmitted);
  EXPECT_TRUE(submitted->submitted_late);
  // No edit after submission; the stored content is the one read back.
  auto edit = repo_->UpdateContent(id, partial, 0, "can-bo-ban-bo", kAfter);
  EXPECT_TRUE(absl::IsFailedPrecondition(edit.status())) << edit.status();
  EXPECT_THAT(std::string(edit.status().message()), HasSubstr("registration is submitted"));
  auto got = repo_->Get(id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->content.changes.size(), 2u);
  EXPECT_EQ(got->content.model_point->content, "Bản sáng - xanh - sạch - đẹp");
  EXPECT_EQ(got->content.endorsements.size(), 4u);
  ASSERT_TRUE(repo_
                  ->Transition(id, PlanAction::kReturn, 0, "tam-duong-nnptnt", "Bổ sung địa điểm",
                               kDeadline, kAfter)
                  .ok());
  ASSERT_TRUE(
      repo_->Transition(id, PlanAction::kSubmit, 0, "can-bo-ban-bo", "", kDeadline, kAfter).ok());
  auto accepted =
      repo_->Transition(id, PlanAction::kAccept, 0, "tam-duong-nnptnt", "", kDeadline, kAfter);
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted->history.size(), 7u);  // create, edit ×2, submit, return, submit, accept
  EXPECT_EQ(
      Count(absl::StrCat("SELECT COUNT(*) FROM outbox WHERE subject = 'registrations/", id, "'")),
      7);
}

TEST_F(RegistrationRepositoryTest, LastYearsChangesAndTheDistrictsModelPoint) {
  ASSERT_TRUE(repo_->Create(Draft("03424", 2023), "can-bo-ban-bo", kBefore).ok());
  ASSERT_TRUE(
      repo_->UpdateContent("tam-duong-2023.03424", Complete("03424"), 0, "can-bo-ban-bo", kBefore)
          .ok());
  auto last = repo_->ChangesOfYear({"03424001", "03424002", "03424003"}, 2023);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->size(), 2u);
  EXPECT_EQ(last->at("03424001").change.content, "Mỗi hộ một hố rác");
  EXPECT_EQ(last->at("03424001").registration_id, "tam-duong-2023.03424");

  EXPECT_TRUE(absl::IsNotFound(repo_->GetModelPoint("tam-duong-2023").status()));
  DistrictModelPoint choice;
  choice.directive_id = "tam-duong-2023";
  choice.district_code = "106";
  choice.year = 2023;
  choice.registration_id = "tam-duong-2023.03424";
  choice.model_point = ModelPoint{"Bản sáng - xanh - sạch - đẹp", "Bản Nà Khương", "", {}};
  choice.chosen_by = "tam-duong-nnptnt";
  ASSERT_TRUE(repo_->ChooseModelPoint(choice, "Mô hình tiêu biểu", kBefore).ok());
  choice.registration_id.reset();
  choice.model_point = ModelPoint{"Mô hình của huyện: chợ phiên an toàn thực phẩm", "", "", {}};
  ASSERT_TRUE(repo_->ChooseModelPoint(choice, "Huyện tự chọn", kAfter).ok());
  auto chosen = repo_->GetModelPoint("tam-duong-2023");
  ASSERT_TRUE(chosen.ok());
  EXPECT_FALSE(chosen->registration_id.has_value());
  EXPECT_EQ(chosen->model_point.content, "Mô hình của huyện: chợ phiên an toàn thực phẩm");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM district_model_point_history"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE event_type = 'district_model_point.chosen'"),
            2);
}

}  // namespace
}  // namespace ntm::registrations
