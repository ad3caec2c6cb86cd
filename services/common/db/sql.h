// Small conveniences over Connector/C++ prepared statements: positional binding in one chain,
// UTC timestamps with microseconds, and exact fixed-point decimals (never floats for stored
// numbers).
#ifndef NTM_SERVICES_COMMON_DB_SQL_H_
#define NTM_SERVICES_COMMON_DB_SQL_H_

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace ntm::db {

class Query {
 public:
  Query(sql::Connection& conn, const std::string& statement);

  Query& Str(absl::string_view value);
  Query& Int(int64_t value);
  Query& Bool(bool value);
  Query& Time(absl::Time value);
  Query& OptTime(const std::optional<absl::Time>& value);
  Query& Null();

  std::unique_ptr<sql::ResultSet> Rows();
  // Rows changed (or matched, for an UPDATE that changes nothing).
  uint64_t Exec();

 private:
  std::unique_ptr<sql::PreparedStatement> st_;
  unsigned int next_ = 1;
};

std::string GetStr(const sql::ResultSet& rs, uint32_t column);
std::optional<std::string> GetOptStr(const sql::ResultSet& rs, uint32_t column);
// A TIMESTAMP(6) column read in UTC (the session's time zone).
absl::Time GetTime(const sql::ResultSet& rs, uint32_t column);
std::optional<absl::Time> GetOptTime(const sql::ResultSet& rs, uint32_t column);

std::string FormatSqlTime(absl::Time t);

// DECIMAL(.,4) columns as integers scaled by 10^4: "95.5000" <-> 955000.
std::string FormatFixed4(int64_t value);
int64_t ParseFixed4(absl::string_view text);

}  // namespace ntm::db

#endif  // NTM_SERVICES_COMMON_DB_SQL_H_
