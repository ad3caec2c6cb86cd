#include "services/common/db/migrations.h"

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <cstdint>
#include <map>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "services/common/log.h"

namespace ntm::db {
namespace {

std::string Checksum(absl::string_view text) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a, enough to detect an edited file
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return absl::StrFormat("%016x", h);
}

}  // namespace

std::vector<std::string> SplitStatements(absl::string_view sql) {
  std::vector<std::string> out;
  std::string current;
  for (absl::string_view line : absl::StrSplit(sql, '\n')) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || trimmed.substr(0, 2) == "--") {
      continue;
    }
    absl::StrAppend(&current, line, "\n");
    if (trimmed.back() == ';') {
      absl::string_view body = absl::StripAsciiWhitespace(current);
      body.remove_suffix(1);
      out.emplace_back(body);
      current.clear();
    }
  }
  if (!absl::StripAsciiWhitespace(current).empty()) {
    out.emplace_back(absl::StripAsciiWhitespace(current));
  }
  return out;
}

absl::Status ApplyMigrations(ConnectionPool& pool, const std::vector<Migration>& migrations) {
  return pool.WithConnection([&](sql::Connection& conn) -> absl::Status {
    std::unique_ptr<sql::Statement> st(conn.createStatement());
    const std::string lock_name = absl::StrCat("ntm_migrate_", pool.options().schema);
    {
      std::unique_ptr<sql::ResultSet> rs(
          st->executeQuery(absl::StrFormat("SELECT GET_LOCK('%s', 120)", lock_name)));
      if (!rs->next() || rs->getInt(1) != 1) {
        return absl::UnavailableError("migrations: another process holds the migration lock");
      }
    }
    struct Unlock {
      sql::Statement* st;
      std::string name;
      ~Unlock() {
        try {
          st->execute(absl::StrFormat("DO RELEASE_LOCK('%s')", name));
        } catch (const sql::SQLException&) {
        }
      }
    } unlock{st.get(), lock_name};

    st->execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INT NOT NULL PRIMARY KEY,"
        " name VARCHAR(200) NOT NULL,"
        " checksum CHAR(16) NOT NULL,"
        " applied_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
        ") ENGINE=InnoDB");
    std::map<int, std::string> applied;
    {
      std::unique_ptr<sql::ResultSet> rs(
          st->executeQuery("SELECT version, checksum FROM schema_migrations"));
      while (rs->next()) {
        applied[rs->getInt(1)] = rs->getString(2);
      }
    }
    int newest_known = 0;
    for (const Migration& m : migrations) {
      newest_known = std::max(newest_known, m.version);
      const std::string sum = Checksum(m.sql);
      if (auto it = applied.find(m.version); it != applied.end()) {
        if (it->second != sum) {
          return absl::FailedPreconditionError(absl::StrFormat(
              "migrations: %s was changed after it was applied (checksum %s, recorded %s); "
              "add a new migration instead",
              m.name, sum, it->second));
        }
        continue;
      }
      log::Info("applying migration", {{"migration", m.name}, {"schema", pool.options().schema}});
      for (const std::string& statement : SplitStatements(m.sql)) {
        st->execute(statement);
      }
      std::unique_ptr<sql::PreparedStatement> ins(conn.prepareStatement(
          "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)"));
      ins->setInt(1, m.version);
      ins->setString(2, m.name);
      ins->setString(3, sum);
      ins->execute();
    }
    if (!applied.empty() && applied.rbegin()->first > newest_known) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "migrations: the schema is at version %d but this binary knows only up to %d; "
          "run a newer binary",
          applied.rbegin()->first, newest_known));
    }
    return absl::OkStatus();
  });
}

}  // namespace ntm::db
