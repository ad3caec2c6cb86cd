-- Outbox event ids and subjects are built from resource ids ("plans/<directive>.<unit>/submit/7"):
-- room for the longest ones.

ALTER TABLE outbox
  MODIFY event_id VARCHAR(255) NOT NULL,
  MODIFY subject VARCHAR(255) NOT NULL;
