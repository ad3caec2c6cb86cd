// Directives against a real MariaDB: stored and read back with Vietnamese text intact, duplicates
// refused with nothing stored, a unit's deadline extended with its history and outbox event.
#include "services/plans/storage/directive_repository.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/plans/domain/rules.h"
#include "services/plans/tests/integration/plans_db.h"

namespace ntm::plans {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

using testing::kVietnam;

const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2024, 1, 10, 9, 0, 0), kVietnam);

Directive Seed() { return testing::SeedDirective(); }

class DirectiveRepositoryTest : public testing::PlansDbTest {
 protected:
  void SetUp() override {
    PlansDbTest::SetUp();
    repo_ = std::make_unique<MySqlDirectiveRepository>(pool_.get());
  }

  int64_t Count(const std::string& table) { return QueryInt("SELECT COUNT(*) FROM " + table); }

  std::unique_ptr<MySqlDirectiveRepository> repo_;
};

TEST_F(DirectiveRepositoryTest, TheSeedsDirectiveIsStoredAndReadBackIntact) {
  ASSERT_THAT(DirectiveProblems(Seed()), IsEmpty());
  auto created = repo_->Create(Seed(), "tam-duong-nnptnt", kNow);
  ASSERT_TRUE(created.ok()) << created.status();
  auto d = repo_->Get("tam-duong-2024");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->title, "Xây dựng kế hoạch thực hiện Chương trình nông thôn mới năm 2024");
  EXPECT_EQ(d->deadline, Seed().deadline);
  EXPECT_EQ(d->issued_on, absl::CivilDay(2024, 1, 10));
  EXPECT_EQ(d->focus_indicators, Seed().focus_indicators);
  EXPECT_EQ(d->deliverables, Seed().deliverables);
  ASSERT_EQ(d->units.size(), 3u);
  EXPECT_EQ(d->units[0].unit_code, "03412");
  EXPECT_FALSE(d->units[0].extended_deadline.has_value());
  EXPECT_EQ(d->created_by, "tam-duong-nnptnt");
  EXPECT_EQ(Count("outbox"), 1);

  auto listed = repo_->List("106", 2024);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].units.size(), 3u);
  EXPECT_TRUE(repo_->List("106", 2025)->empty());
  EXPECT_TRUE(absl::IsNotFound(repo_->Get("khong-co").status()));
}

TEST_F(DirectiveRepositoryTest, ASecondDirectiveWithTheSameIdOrNumberStoresNothing) {
  ASSERT_TRUE(repo_->Create(Seed(), "tam-duong-nnptnt", kNow).ok());
  Directive same_number = Seed();
  same_number.id = "tam-duong-2024-b";
  auto s = repo_->Create(same_number, "tam-duong-nnptnt", kNow);
  EXPECT_TRUE(absl::IsAlreadyExists(s.status()));
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("document_number"));
  Directive same_id = Seed();
  same_id.document_number = "126/UBND-NN";
  s = repo_->Create(same_id, "tam-duong-nnptnt", kNow);
  EXPECT_TRUE(absl::IsAlreadyExists(s.status()));
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("directive_id"));
  EXPECT_EQ(Count("directives"), 1);
  EXPECT_EQ(Count("directive_units"), 3);
  EXPECT_EQ(Count("outbox"), 1);
}

TEST_F(DirectiveRepositoryTest, AnExtensionIsLaterHasAReasonAndIsKept) {
  ASSERT_TRUE(repo_->Create(Seed(), "tam-duong-nnptnt", kNow).ok());
  const absl::Time later = Seed().deadline + absl::Hours(24 * 5);
  // A unit the directive does not address, an earlier deadline, no reason: refused, nothing kept.
  EXPECT_TRUE(absl::IsNotFound(
      repo_->ExtendDeadline("tam-duong-2024", "03390", later, "Lũ", 0, "nnptnt", kNow).status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(repo_
                                             ->ExtendDeadline("tam-duong-2024", "03424",
                                                              Seed().deadline - absl::Hours(1),
                                                              "Lũ", 0, "nnptnt", kNow)
                                             .status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      repo_->ExtendDeadline("tam-duong-2024", "03424", later, "  ", 0, "nnptnt", kNow).status()));
  EXPECT_TRUE(absl::IsAborted(
      repo_->ExtendDeadline("tam-duong-2024", "03424", later, "Lũ", 7, "nnptnt", kNow).status()));
  EXPECT_EQ(Count("directive_extensions"), 0);

  auto d =
      repo_->ExtendDeadline("tam-duong-2024", "03424", later,
                            "Đường vào bản bị sạt lở, xã xin lùi hạn", 1, "tam-duong-nnptnt", kNow);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->version, 2);
  const AddressedUnit& bo = d->units[2];
  ASSERT_EQ(bo.unit_code, "03424");
  EXPECT_EQ(bo.extended_deadline, later);
  EXPECT_EQ(bo.extension_reason, "Đường vào bản bị sạt lở, xã xin lùi hạn");
  EXPECT_FALSE(IsLate(later - absl::Hours(1), d->deadline, bo.extended_deadline));
  // The same deadline again is not later than the one that applies now.
  EXPECT_TRUE(absl::IsFailedPrecondition(
      repo_->ExtendDeadline("tam-duong-2024", "03424", later, "Lũ", 0, "nnptnt", kNow).status()));
  EXPECT_EQ(Count("directive_extensions"), 1);
  EXPECT_EQ(Count("outbox"), 2);
}

TEST(DirectiveRulesTest, EveryProblemOfADirectiveNamesItsField) {
  Directive d = Seed();
  d.id = "Tam Đường";
  d.document_number = "";
  d.year = 1999;
  d.deadline = absl::FromCivil(absl::CivilSecond(2024, 1, 9, 0, 0, 0), kVietnam);
  d.deliverables.clear();
  d.focus_indicators.push_back("17.a");
  d.units.push_back(AddressedUnit{"03424"});
  const std::vector<std::string> p = DirectiveProblems(d);
  ASSERT_EQ(p.size(), 7u) << ::testing::PrintToString(p);
  EXPECT_THAT(p[0], HasSubstr("id:"));
  EXPECT_THAT(p[1], HasSubstr("document_number:"));
  EXPECT_THAT(p[2], HasSubstr("year:"));
  EXPECT_THAT(p[3], HasSubstr("deadline:"));
  EXPECT_THAT(p[4], HasSubstr("deliverables:"));
  EXPECT_THAT(p[5], HasSubstr("focus_indicators[7]"));
  EXPECT_THAT(p[6], HasSubstr("addressed_units[3]: units/03424 is listed twice"));
}

}  // namespace
}  // namespace ntm::plans
