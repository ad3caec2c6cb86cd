-- The gateway's own schema: the principal registry and the decision log.

-- Who may call. roles is a comma-separated list of ntm.api.v1.Role names.
CREATE TABLE principals (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  unit_code VARCHAR(16) NOT NULL,
  agency_id VARCHAR(64) NOT NULL DEFAULT '',
  roles VARCHAR(255) NOT NULL,
  display_name VARCHAR(255) NOT NULL DEFAULT '',
  certificate_subject VARCHAR(255) NULL,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at TIMESTAMP(6) NOT NULL,
  updated_at TIMESTAMP(6) NOT NULL,
  updated_by VARCHAR(64) NOT NULL,
  version INT NOT NULL DEFAULT 1,
  UNIQUE KEY principals_certificate_subject (certificate_subject),
  KEY principals_unit (unit_code)
);

-- Every change to a principal, as it was after the change.
CREATE TABLE principal_changes (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  principal_id VARCHAR(64) NOT NULL,
  changed_at TIMESTAMP(6) NOT NULL,
  changed_by VARCHAR(64) NOT NULL,
  change_kind VARCHAR(16) NOT NULL,
  unit_code VARCHAR(16) NOT NULL,
  agency_id VARCHAR(64) NOT NULL,
  roles VARCHAR(255) NOT NULL,
  certificate_subject VARCHAR(255) NULL,
  active BOOLEAN NOT NULL,
  KEY principal_changes_principal (principal_id, id)
);

-- The decision log: every allowed change and every denial. unit_chain holds the target unit and
-- its ancestors as ",03424,106,12," so that a unit's log is every row containing ",{code},".
CREATE TABLE decisions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  decided_at TIMESTAMP(6) NOT NULL,
  principal_id VARCHAR(64) NOT NULL,
  authenticated_by VARCHAR(16) NOT NULL,
  method VARCHAR(255) NOT NULL,
  action VARCHAR(32) NOT NULL,
  unit_code VARCHAR(16) NOT NULL,
  unit_chain VARCHAR(255) NOT NULL,
  indicator_codes TEXT NOT NULL,
  criterion_code VARCHAR(16) NOT NULL,
  allowed BOOLEAN NOT NULL,
  check_name VARCHAR(16) NOT NULL,
  reason VARCHAR(1024) NOT NULL,
  transport VARCHAR(8) NOT NULL,
  KEY decisions_time (decided_at),
  KEY decisions_principal (principal_id, id)
);

-- Append-only, held by the database itself: no update and no delete, whoever asks.
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the decision log is append-only';

CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the decision log is append-only';
