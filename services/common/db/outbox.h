// A service schema's outbox: an event row written in the same transaction as the change it
// announces, for the notifications service to pick up. Each service that announces changes has
// an `outbox` table (event_id unique, event_type, subject, payload, created_at, published_at).
#ifndef NTM_SERVICES_COMMON_DB_OUTBOX_H_
#define NTM_SERVICES_COMMON_DB_OUTBOX_H_

#include <cppconn/connection.h>

#include <string>

#include "absl/time/time.h"

namespace ntm::db {

// Inserts an event; `event_id` is unique, so the same change never announces itself twice.
void WriteOutboxEvent(sql::Connection& conn, const std::string& event_id,
                      const std::string& event_type, const std::string& subject,
                      const std::string& payload_json, absl::Time now);

// A JSON string literal of `s`, for event payloads.
std::string JsonString(const std::string& s);

}  // namespace ntm::db

#endif  // NTM_SERVICES_COMMON_DB_OUTBOX_H_
