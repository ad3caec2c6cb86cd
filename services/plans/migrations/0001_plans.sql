-- The plans service's schema: directives (what a district asks of its communes, by when) and the
-- units each addresses with their deadline extensions. Text is utf8mb4 with the schema's
-- Vietnamese collation; times are UTC instants.

CREATE TABLE directives (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  document_number VARCHAR(64) NOT NULL,
  issued_on DATE NOT NULL,
  issuing_unit_code VARCHAR(16) NOT NULL,
  year SMALLINT NOT NULL,
  deadline TIMESTAMP(6) NOT NULL,
  deliverables VARCHAR(64) NOT NULL,
  focus_indicators VARCHAR(1024) NOT NULL DEFAULT '',
  title VARCHAR(500) NOT NULL DEFAULT '',
  demo BOOLEAN NOT NULL DEFAULT FALSE,
  created_by VARCHAR(128) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL,
  version INT NOT NULL DEFAULT 1,
  UNIQUE KEY directives_number (issuing_unit_code, document_number),
  KEY directives_year (issuing_unit_code, year)
) ENGINE=InnoDB;

-- The units a directive addresses; a unit's own deadline when the district extended it.
CREATE TABLE directive_units (
  directive_id VARCHAR(64) NOT NULL,
  unit_code VARCHAR(16) NOT NULL,
  extended_deadline TIMESTAMP(6) NULL,
  extension_reason VARCHAR(1000) NOT NULL DEFAULT '',
  extended_by VARCHAR(128) NOT NULL DEFAULT '',
  extended_at TIMESTAMP(6) NULL,
  PRIMARY KEY (directive_id, unit_code),
  CONSTRAINT directive_units_directive_fk FOREIGN KEY (directive_id) REFERENCES directives (id)
) ENGINE=InnoDB;

-- Every extension granted, kept after a later one replaces it.
CREATE TABLE directive_extensions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  directive_id VARCHAR(64) NOT NULL,
  unit_code VARCHAR(16) NOT NULL,
  previous_deadline TIMESTAMP(6) NOT NULL,
  extended_deadline TIMESTAMP(6) NOT NULL,
  reason VARCHAR(1000) NOT NULL,
  extended_by VARCHAR(128) NOT NULL,
  extended_at TIMESTAMP(6) NOT NULL,
  KEY directive_extensions_unit (directive_id, unit_code, id)
) ENGINE=InnoDB;

-- Events for the notifications service, written in the same transaction as the change.
CREATE TABLE outbox (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id VARCHAR(64) NOT NULL,
  event_type VARCHAR(64) NOT NULL,
  subject VARCHAR(255) NOT NULL,
  payload TEXT NOT NULL,
  created_at TIMESTAMP(6) NOT NULL,
  published_at TIMESTAMP(6) NULL,
  UNIQUE KEY outbox_event (event_id),
  KEY outbox_unpublished (published_at, id)
) ENGINE=InnoDB;
