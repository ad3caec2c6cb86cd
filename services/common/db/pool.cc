#include "services/common/db/pool.h"

#include <cppconn/driver.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/log.h"

namespace ntm::db {
namespace {

constexpr int kMaxAttempts = 4;

sql::Driver* Driver() {
  // The driver instance must be created once before threads race for it.
  static sql::Driver* driver = sql::mysql::get_mysql_driver_instance();
  return driver;
}

bool ValidSchemaName(const std::string& s) {
  if (s.empty() || s.size() > 64) {
    return false;
  }
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace

void DbOptions::Register(Flags& flags) {
  flags.AddString("db_host", &host, "MySQL/MariaDB host");
  flags.AddInt("db_port", &port, "MySQL/MariaDB port");
  flags.AddString("db_user", &user, "database user");
  flags.AddString("db_password", &password, "database password (prefer the environment variable)");
  flags.AddString("db_name", &schema, "the service's own schema; created when missing");
  flags.AddInt("db_pool_size", &pool_size, "connections kept open at most");
}

bool IsConnectionLost(int code) {
  // CR_SERVER_GONE_ERROR, CR_SERVER_LOST, CR_CONN_HOST_ERROR, CR_CONNECTION_ERROR,
  // CR_SERVER_LOST_EXTENDED, ER_CONNECTION_KILLED, ER_SERVER_SHUTDOWN.
  return code == 2006 || code == 2013 || code == 2003 || code == 2002 || code == 2055 ||
         code == 1927 || code == 1053;
}

bool IsRetryableConflict(int code) {
  // ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT.
  return code == 1213 || code == 1205;
}

absl::Status StatusFromSqlException(const sql::SQLException& e) {
  const int code = e.getErrorCode();
  std::string msg =
      absl::StrFormat("database error %d (%s): %s", code, e.getSQLStateCStr(), e.what());
  if (IsConnectionLost(code)) {
    return absl::UnavailableError(absl::StrCat("database unavailable: ", msg));
  }
  if (code == 1062) {
    return absl::AlreadyExistsError(msg);
  }
  if (IsRetryableConflict(code)) {
    return absl::AbortedError(absl::StrCat("concurrent change, retry: ", msg));
  }
  return absl::InternalError(msg);
}

absl::StatusOr<std::unique_ptr<ConnectionPool>> ConnectionPool::Create(const DbOptions& options) {
  if (!ValidSchemaName(options.schema)) {
    return absl::InvalidArgumentError(
        absl::StrCat("db_name: '", options.schema, "' must be 1-64 characters of a-z, 0-9 and _"));
  }
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError("db_pool_size: must be at least 1");
  }
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool(options));
  if (options.create_schema) {
    auto conn = pool->Connect(/*with_schema=*/false);
    if (!conn.ok()) {
      return conn.status();
    }
    try {
      std::unique_ptr<sql::Statement> st((*conn)->createStatement());
      st->execute(
          absl::StrFormat("CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET utf8mb4 COLLATE %s",
                          options.schema, kCollation));
    } catch (const sql::SQLException& e) {
      return StatusFromSqlException(e);
    }
  }
  // Fail early on a bad configuration rather than on the first call.
  auto conn = pool->Acquire();
  if (!conn.ok()) {
    return conn.status();
  }
  pool->Release(std::move(*conn), false);
  return pool;
}

ConnectionPool::~ConnectionPool() = default;

absl::StatusOr<std::unique_ptr<sql::Connection>> ConnectionPool::Connect(bool with_schema) {
  sql::ConnectOptionsMap props;
  props["hostName"] = sql::SQLString(options_.host);
  props["port"] = options_.port;
  props["userName"] = sql::SQLString(options_.user);
  props["password"] = sql::SQLString(options_.password);
  if (with_schema) {
    props["schema"] = sql::SQLString(options_.schema);
  }
  props["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  props["OPT_CONNECT_TIMEOUT"] = options_.connect_timeout_seconds;
  props["OPT_RECONNECT"] = false;  // reconnecting silently would lose transaction state
  try {
    std::unique_ptr<sql::Connection> conn(Driver()->connect(props));
    std::unique_ptr<sql::Statement> st(conn->createStatement());
    st->execute(absl::StrCat("SET NAMES utf8mb4 COLLATE ", kCollation));
    st->execute("SET time_zone = '+00:00'");
    st->execute(
        "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO'");
    return conn;
  } catch (const sql::SQLException& e) {
    log::Warn(
        "database connect failed",
        {{"host", options_.host}, {"port", absl::StrCat(options_.port)}, {"error", e.what()}});
    return absl::UnavailableError(absl::StrFormat("database unavailable at %s:%d: %s",
                                                  options_.host, options_.port, e.what()));
  }
}

absl::StatusOr<std::unique_ptr<sql::Connection>> ConnectionPool::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.pool_size;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&room), absl::Seconds(30))) {
      return absl::UnavailableError("database pool exhausted: no connection free for 30s");
    }
    ++in_use_;
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
    ++open_;
  }
  auto conn = Connect(/*with_schema=*/true);
  if (!conn.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
    --in_use_;
  }
  return conn;
}

void ConnectionPool::Release(std::unique_ptr<sql::Connection> conn, bool broken) {
  absl::MutexLock lock(&mu_);
  --in_use_;
  if (broken) {
    --open_;
    return;  // closed by the destructor outside the pool
  }
  idle_.push_back(std::move(conn));
}

int ConnectionPool::in_use() const {
  absl::MutexLock lock(&mu_);
  return in_use_;
}

absl::Status ConnectionPool::Run(bool transaction,
                                 absl::FunctionRef<absl::Status(sql::Connection&)> fn) {
  absl::Status last;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    auto leased = Acquire();
    if (!leased.ok()) {
      return leased.status();
    }
    std::unique_ptr<sql::Connection> conn = std::move(*leased);
    bool broken = false;
    bool retry = false;
    bool committing = false;
    try {
      if (transaction) {
        conn->setAutoCommit(false);
      }
      last = fn(*conn);
      if (transaction) {
        if (last.ok()) {
          committing = true;
          conn->commit();
        } else {
          conn->rollback();
        }
        conn->setAutoCommit(true);
      }
    } catch (const sql::SQLException& e) {
      const int code = e.getErrorCode();
      last = StatusFromSqlException(e);
      if (IsConnectionLost(code)) {
        broken = true;
        // A commit whose answer was lost may or may not have happened: never repeat it.
        retry = !committing;
      } else {
        retry = IsRetryableConflict(code);
        try {
          if (transaction) {
            conn->rollback();
            conn->setAutoCommit(true);
          }
        } catch (const sql::SQLException&) {
          broken = true;
        }
      }
      log::Warn("database call failed", {{"error", e.what()},
                                         {"code", absl::StrCat(code)},
                                         {"attempt", absl::StrCat(attempt)},
                                         {"retry", retry ? "yes" : "no"}});
    }
    Release(std::move(conn), broken);
    if (!retry) {
      return last;
    }
  }
  return last;
}

absl::Status ConnectionPool::InTransaction(absl::FunctionRef<absl::Status(sql::Connection&)> fn) {
  return Run(true, fn);
}

absl::Status ConnectionPool::WithConnection(absl::FunctionRef<absl::Status(sql::Connection&)> fn) {
  return Run(false, fn);
}

}  // namespace ntm::db
