#include "services/common/db/sql.h"

#include <cppconn/datatype.h>

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ntm::db {

Query::Query(sql::Connection& conn, const std::string& statement)
    : st_(conn.prepareStatement(statement)) {}

Query& Query::Str(absl::string_view value) {
  st_->setString(next_++, sql::SQLString(value.data(), value.size()));
  return *this;
}

Query& Query::Int(int64_t value) {
  st_->setInt64(next_++, value);
  return *this;
}

Query& Query::Bool(bool value) {
  st_->setBoolean(next_++, value);
  return *this;
}

Query& Query::Time(absl::Time value) { return Str(FormatSqlTime(value)); }

Query& Query::OptTime(const std::optional<absl::Time>& value) {
  return value.has_value() ? Time(*value) : Null();
}

Query& Query::Null() {
  st_->setNull(next_++, sql::DataType::VARCHAR);
  return *this;
}

std::unique_ptr<sql::ResultSet> Query::Rows() {
  return std::unique_ptr<sql::ResultSet>(st_->executeQuery());
}

uint64_t Query::Exec() { return static_cast<uint64_t>(st_->executeUpdate()); }

std::string GetStr(const sql::ResultSet& rs, uint32_t column) {
  return rs.getString(column).asStdString();
}

std::optional<std::string> GetOptStr(const sql::ResultSet& rs, uint32_t column) {
  if (rs.isNull(column)) {
    return std::nullopt;
  }
  return GetStr(rs, column);
}

std::string FormatSqlTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S", t, absl::UTCTimeZone());
}

absl::Time GetTime(const sql::ResultSet& rs, uint32_t column) {
  absl::Time t;
  std::string err;
  const std::string text = GetStr(rs, column);
  if (!absl::ParseTime("%Y-%m-%d %H:%M:%E*S", text, absl::UTCTimeZone(), &t, &err)) {
    return absl::UnixEpoch();
  }
  return t;
}

std::optional<absl::Time> GetOptTime(const sql::ResultSet& rs, uint32_t column) {
  if (rs.isNull(column)) {
    return std::nullopt;
  }
  return GetTime(rs, column);
}

std::string FormatFixed4(int64_t value) {
  const bool negative = value < 0;
  const uint64_t abs = negative ? static_cast<uint64_t>(-(value + 1)) + 1 : value;
  return absl::StrFormat("%s%d.%04d", negative ? "-" : "", abs / 10000, abs % 10000);
}

int64_t ParseFixed4(absl::string_view text) {
  bool negative = !text.empty() && text.front() == '-';
  if (negative) {
    text.remove_prefix(1);
  }
  int64_t whole = 0;
  int64_t frac = 0;
  size_t dot = text.find('.');
  absl::string_view w = text.substr(0, dot);
  (void)absl::SimpleAtoi(w, &whole);
  if (dot != absl::string_view::npos) {
    std::string f(text.substr(dot + 1, 4));
    while (f.size() < 4) {
      f += '0';
    }
    (void)absl::SimpleAtoi(f, &frac);
  }
  const int64_t v = whole * 10000 + frac;
  return negative ? -v : v;
}

}  // namespace ntm::db
