-- The notifications service's schema: the events accepted from the other services (once per
-- event id), the directives it reminds about, the inboxes' notifications, the subscriptions
-- (e-mail addresses, webhook URLs with their secrets), and the messages to send with their
-- attempts. Text is utf8mb4 with the schema's Vietnamese collation; times are UTC.

-- Every event accepted from a service's outbox relay; the primary key makes a repeat a no-op.
CREATE TABLE events (
  event_id VARCHAR(200) NOT NULL PRIMARY KEY,
  event_type VARCHAR(64) NOT NULL,
  subject VARCHAR(255) NOT NULL,
  source VARCHAR(64) NOT NULL,
  payload TEXT NOT NULL,
  created_at TIMESTAMP(6) NOT NULL,
  received_at TIMESTAMP(6) NOT NULL
) ENGINE=InnoDB;

-- The directives reminders are computed for, as announced by the plans service.
CREATE TABLE directives (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  -- units/{issuing unit}/directives/{id}
  name VARCHAR(200) NOT NULL,
  issuing_unit_code VARCHAR(16) NOT NULL,
  year SMALLINT NOT NULL,
  title VARCHAR(500) NOT NULL DEFAULT '',
  -- Comma-separated: plan, registration.
  deliverables VARCHAR(64) NOT NULL,
  -- The directive's own deadline; units may have later ones (asked of the plans service).
  deadline TIMESTAMP(6) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL,
  KEY directives_deadline (deadline)
) ENGINE=InnoDB;

-- An inbox's notifications. dedupe_key makes a reminder, an event's notification or an urging
-- unique, so that several replicas or a retry never add it twice.
CREATE TABLE notifications (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  -- units/{code}, agencies/{id} or principals/{id}
  inbox VARCHAR(160) NOT NULL,
  kind VARCHAR(32) NOT NULL,
  title VARCHAR(500) NOT NULL,
  body TEXT NOT NULL,
  directive VARCHAR(200) NOT NULL DEFAULT '',
  deliverable VARCHAR(16) NOT NULL DEFAULT '',
  subject VARCHAR(255) NOT NULL DEFAULT '',
  unit VARCHAR(40) NOT NULL DEFAULT '',
  indicator_codes VARCHAR(500) NOT NULL DEFAULT '',
  sender VARCHAR(128) NOT NULL,
  sender_agency VARCHAR(160) NOT NULL DEFAULT '',
  deadline_local VARCHAR(40) NOT NULL DEFAULT '',
  dedupe_key VARCHAR(400) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL,
  read_at TIMESTAMP(6) NULL,
  UNIQUE KEY notifications_dedupe (dedupe_key),
  KEY notifications_inbox (inbox, id)
) ENGINE=InnoDB;

-- An inbox's channels besides the in-app one.
CREATE TABLE subscriptions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  inbox VARCHAR(160) NOT NULL,
  channel VARCHAR(16) NOT NULL,
  address VARCHAR(500) NOT NULL,
  -- Webhooks: the signing secret ("whsec_…"); empty for e-mail.
  secret VARCHAR(200) NOT NULL DEFAULT '',
  -- Comma-separated kinds; empty for every kind.
  kinds VARCHAR(300) NOT NULL DEFAULT '',
  created_by VARCHAR(128) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL,
  UNIQUE KEY subscriptions_address (inbox, channel, address),
  KEY subscriptions_inbox (inbox, id)
) ENGINE=InnoDB;

-- The outbox of messages: one notification on one channel. Workers claim due rows with
-- SELECT … FOR UPDATE SKIP LOCKED and hold them with a lease while sending.
CREATE TABLE messages (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  notification_id BIGINT NOT NULL,
  inbox VARCHAR(160) NOT NULL,
  channel VARCHAR(16) NOT NULL,
  address VARCHAR(500) NOT NULL,
  secret VARCHAR(200) NOT NULL DEFAULT '',
  idempotency_key VARCHAR(400) NOT NULL,
  -- pending, sending, sent, failed, cancelled
  state VARCHAR(16) NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMP(6) NOT NULL,
  lease_until TIMESTAMP(6) NULL,
  claimed_by VARCHAR(128) NOT NULL DEFAULT '',
  last_attempt_at TIMESTAMP(6) NULL,
  sent_at TIMESTAMP(6) NULL,
  last_error VARCHAR(1000) NOT NULL DEFAULT '',
  created_at TIMESTAMP(6) NOT NULL,
  UNIQUE KEY messages_key (idempotency_key),
  KEY messages_due (state, next_attempt_at),
  KEY messages_inbox (inbox, id),
  CONSTRAINT messages_notification FOREIGN KEY (notification_id) REFERENCES notifications (id)
) ENGINE=InnoDB;
