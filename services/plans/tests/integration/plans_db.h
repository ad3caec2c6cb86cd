// What the plans storage tests share: a fresh schema with the plans migrations on the MariaDB
// that tests/run started, a row counter, and the seed's directive.
#ifndef NTM_SERVICES_PLANS_TESTS_INTEGRATION_PLANS_DB_H_
#define NTM_SERVICES_PLANS_TESTS_INTEGRATION_PLANS_DB_H_

#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "services/assessment/tests/test_env.h"
#include "services/plans/domain/model.h"
#include "services/plans/storage/directive_repository.h"

namespace ntm::plans::testing {

inline const absl::TimeZone kVietnam = absl::FixedTimeZone(7 * 3600);
// The seed's deadline: 10/02/2024, end of the day in Asia/Ho_Chi_Minh.
inline const absl::Time kDeadline =
    absl::FromCivil(absl::CivilSecond(2024, 2, 10, 23, 59, 59), kVietnam);

// The seed's directive: Tam Đường, 2024, plan and registration by 10/02/2024, its focus
// indicators, addressed to Bản Bo, Bản Hon and Bình Lư.
inline Directive SeedDirective() {
  Directive d;
  d.id = "tam-duong-2024";
  d.document_number = "125/UBND-NN";
  d.issued_on = absl::CivilDay(2024, 1, 10);
  d.issuing_unit_code = "106";
  d.year = 2024;
  d.deadline = kDeadline;
  d.deliverables = {Deliverable::kPlan, Deliverable::kRegistration};
  d.focus_indicators = {"13.3", "13.5", "15.1", "17.3", "17.6", "17.7", "17.11"};
  d.title = "Xây dựng kế hoạch thực hiện Chương trình nông thôn mới năm 2024";
  for (const char* code : {"03424", "03421", "03412"}) {
    d.units.push_back(AddressedUnit{code});
  }
  return d;
}

class PlansDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pool = db::ConnectionPool::Create(assessment::testing::TestDbOptions());
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
    ASSERT_TRUE(db::ApplyMigrations(*pool_, db::PlansMigrations()).ok());
  }

  // The one integer a query returns, e.g. SELECT COUNT(*) FROM plans.
  int64_t QueryInt(const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(pool_
                    ->WithConnection([&](sql::Connection& conn) -> absl::Status {
                      std::unique_ptr<sql::Statement> st(conn.createStatement());
                      std::unique_ptr<sql::ResultSet> rs(st->executeQuery(sql));
                      rs->next();
                      n = rs->getInt64(1);
                      return absl::OkStatus();
                    })
                    .ok());
    return n;
  }

  std::unique_ptr<db::ConnectionPool> pool_;
};

}  // namespace ntm::plans::testing

#endif  // NTM_SERVICES_PLANS_TESTS_INTEGRATION_PLANS_DB_H_
