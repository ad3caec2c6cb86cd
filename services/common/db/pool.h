// A pool of MySQL/MariaDB connections (MySQL Connector/C++ 1.1) with transactions that are
// retried when the connection was lost or the server chose the transaction as a deadlock victim.
// Every connection speaks utf8mb4.
#ifndef NTM_SERVICES_COMMON_DB_POOL_H_
#define NTM_SERVICES_COMMON_DB_POOL_H_

#include <cppconn/connection.h>
#include <cppconn/exception.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/flags.h"

namespace ntm::db {

struct DbOptions {
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string user = "ntm";
  std::string password;
  std::string schema;
  int pool_size = 8;
  int connect_timeout_seconds = 5;
  // Create the schema (utf8mb4) when it does not exist.
  bool create_schema = true;

  // Registers --db_host, --db_port, --db_user, --db_password, --db_name, --db_pool_size.
  void Register(Flags& flags);
};

// The collation of every schema: Vietnamese order with diacritics kept distinct.
inline constexpr char kCollation[] = "utf8mb4_uca1400_vietnamese_as_cs";

class ConnectionPool {
 public:
  static absl::StatusOr<std::unique_ptr<ConnectionPool>> Create(const DbOptions& options);
  ~ConnectionPool();

  // Runs `fn` inside a transaction and commits when it returns OK; rolls back otherwise. A lost
  // connection before commit, a deadlock or a lock-wait timeout restarts `fn` from the beginning
  // on a fresh connection (a few times), so `fn` must not have effects outside the database.
  absl::Status InTransaction(absl::FunctionRef<absl::Status(sql::Connection&)> fn);

  // Runs `fn` with autocommit on (reads); retried once when the connection was lost.
  absl::Status WithConnection(absl::FunctionRef<absl::Status(sql::Connection&)> fn);

  const DbOptions& options() const { return options_; }
  int in_use() const;

 private:
  explicit ConnectionPool(DbOptions options) : options_(std::move(options)) {}
  absl::StatusOr<std::unique_ptr<sql::Connection>> Connect(bool with_schema);
  absl::StatusOr<std::unique_ptr<sql::Connection>> Acquire();
  void Release(std::unique_ptr<sql::Connection> conn, bool broken);
  absl::Status Run(bool transaction, absl::FunctionRef<absl::Status(sql::Connection&)> fn);

  const DbOptions options_;
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<sql::Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  int in_use_ ABSL_GUARDED_BY(mu_) = 0;
};

// Maps a Connector/C++ exception to a status: lost connections and timeouts are UNAVAILABLE,
// duplicate keys ALREADY_EXISTS, deadlocks ABORTED, the rest INTERNAL.
absl::Status StatusFromSqlException(const sql::SQLException& e);
bool IsConnectionLost(int mysql_error);
bool IsRetryableConflict(int mysql_error);

}  // namespace ntm::db

#endif  // NTM_SERVICES_COMMON_DB_POOL_H_
