#include "services/common/db/outbox.h"

#include "services/common/db/sql.h"
#include "services/common/log.h"

namespace ntm::db {

void WriteOutboxEvent(sql::Connection& conn, const std::string& event_id,
                      const std::string& event_type, const std::string& subject,
                      const std::string& payload_json, absl::Time now) {
  Query(conn,
        "INSERT INTO outbox (event_id, event_type, subject, payload, created_at) "
        "VALUES (?, ?, ?, ?, ?)")
      .Str(event_id)
      .Str(event_type)
      .Str(subject)
      .Str(payload_json)
      .Time(now)
      .Exec();
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  log::AppendJsonEscaped(out, s);
  return out + "\"";
}

}  // namespace ntm::db
