-- The assessment service's schema: the reference directory (units, agencies), criteria set
-- editions with thresholds, ownership of criteria, and commune assessments with their reviews.
-- Text is utf8mb4 with the schema's Vietnamese collation; times are UTC instants.

CREATE TABLE IF NOT EXISTS units (
  code VARCHAR(16) NOT NULL PRIMARY KEY,
  display_name VARCHAR(255) NOT NULL,
  level TINYINT NOT NULL,
  kind VARCHAR(64) NOT NULL,
  parent_code VARCHAR(16) NULL,
  demo BOOLEAN NOT NULL DEFAULT FALSE,
  note VARCHAR(500) NOT NULL DEFAULT '',
  created_by VARCHAR(128) NOT NULL DEFAULT '',
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY units_parent (parent_code, code),
  CONSTRAINT units_parent_fk FOREIGN KEY (parent_code) REFERENCES units (code)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS agencies (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  display_name VARCHAR(255) NOT NULL,
  unit_code VARCHAR(16) NOT NULL,
  standing_office BOOLEAN NOT NULL DEFAULT FALSE,
  demo BOOLEAN NOT NULL DEFAULT FALSE,
  KEY agencies_unit (unit_code),
  CONSTRAINT agencies_unit_fk FOREIGN KEY (unit_code) REFERENCES units (code)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS criteria_sets (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  title VARCHAR(500) NOT NULL,
  legal_basis VARCHAR(1000) NOT NULL,
  scope_unit_code VARCHAR(16) NOT NULL,
  first_year SMALLINT NOT NULL,
  last_year SMALLINT NOT NULL,
  about TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  loaded_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY criteria_sets_scope (scope_unit_code, first_year),
  CONSTRAINT criteria_sets_scope_fk FOREIGN KEY (scope_unit_code) REFERENCES units (code)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS content_groups (
  criteria_set_id VARCHAR(64) NOT NULL,
  code INT NOT NULL,
  title_vi VARCHAR(255) NOT NULL,
  title_en VARCHAR(255) NOT NULL,
  PRIMARY KEY (criteria_set_id, code),
  CONSTRAINT content_groups_set_fk FOREIGN KEY (criteria_set_id) REFERENCES criteria_sets (id)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS criteria (
  criteria_set_id VARCHAR(64) NOT NULL,
  code VARCHAR(16) NOT NULL,
  position INT NOT NULL,
  title_vi VARCHAR(500) NOT NULL,
  title_en VARCHAR(500) NOT NULL,
  group_code INT NOT NULL,
  PRIMARY KEY (criteria_set_id, code),
  CONSTRAINT criteria_group_fk FOREIGN KEY (criteria_set_id, group_code)
    REFERENCES content_groups (criteria_set_id, code)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS indicators (
  criteria_set_id VARCHAR(64) NOT NULL,
  code VARCHAR(16) NOT NULL,
  criterion_code VARCHAR(16) NOT NULL,
  position INT NOT NULL,
  title_vi VARCHAR(1000) NOT NULL,
  title_en VARCHAR(1000) NOT NULL,
  measure TINYINT NOT NULL,
  unit VARCHAR(64) NOT NULL,
  wording_source VARCHAR(500) NOT NULL,
  wording_verified BOOLEAN NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  updated_by VARCHAR(128) NOT NULL DEFAULT '',
  updated_at TIMESTAMP(6) NULL,
  PRIMARY KEY (criteria_set_id, code),
  CONSTRAINT indicators_criterion_fk FOREIGN KEY (criteria_set_id, criterion_code)
    REFERENCES criteria (criteria_set_id, code)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS thresholds (
  criteria_set_id VARCHAR(64) NOT NULL,
  indicator_code VARCHAR(16) NOT NULL,
  year SMALLINT NOT NULL,
  value DECIMAL(20,4) NULL,
  status TINYINT NOT NULL,
  source VARCHAR(1000) NOT NULL,
  updated_by VARCHAR(128) NOT NULL DEFAULT '',
  updated_at TIMESTAMP(6) NULL,
  PRIMARY KEY (criteria_set_id, indicator_code, year),
  CONSTRAINT thresholds_indicator_fk FOREIGN KEY (criteria_set_id, indicator_code)
    REFERENCES indicators (criteria_set_id, code)
) ENGINE=InnoDB;

-- Append-only: every change of an indicator's wording or thresholds, with the source it cites.
CREATE TABLE IF NOT EXISTS catalog_changes (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  criteria_set_id VARCHAR(64) NOT NULL,
  indicator_code VARCHAR(16) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  source VARCHAR(1000) NOT NULL,
  detail TEXT NOT NULL,
  changed_at TIMESTAMP(6) NOT NULL,
  KEY catalog_changes_indicator (criteria_set_id, indicator_code, id)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS ownership_versions (
  unit_code VARCHAR(16) NOT NULL,
  criteria_set_id VARCHAR(64) NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (unit_code, criteria_set_id),
  CONSTRAINT ownership_versions_unit_fk FOREIGN KEY (unit_code) REFERENCES units (code),
  CONSTRAINT ownership_versions_set_fk FOREIGN KEY (criteria_set_id) REFERENCES criteria_sets (id)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS ownerships (
  unit_code VARCHAR(16) NOT NULL,
  criteria_set_id VARCHAR(64) NOT NULL,
  criterion_code VARCHAR(16) NOT NULL,
  indicator_code VARCHAR(16) NOT NULL DEFAULT '',
  agency_id VARCHAR(64) NOT NULL,
  demo BOOLEAN NOT NULL DEFAULT FALSE,
  updated_by VARCHAR(128) NOT NULL DEFAULT '',
  updated_at TIMESTAMP(6) NULL,
  PRIMARY KEY (unit_code, criteria_set_id, criterion_code, indicator_code),
  KEY ownerships_agency (agency_id),
  CONSTRAINT ownerships_version_fk FOREIGN KEY (unit_code, criteria_set_id)
    REFERENCES ownership_versions (unit_code, criteria_set_id),
  CONSTRAINT ownerships_criterion_fk FOREIGN KEY (criteria_set_id, criterion_code)
    REFERENCES criteria (criteria_set_id, code),
  CONSTRAINT ownerships_agency_fk FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB;

-- Append-only: every ownership change.
CREATE TABLE IF NOT EXISTS ownership_changes (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  unit_code VARCHAR(16) NOT NULL,
  criteria_set_id VARCHAR(64) NOT NULL,
  criterion_code VARCHAR(16) NOT NULL,
  indicator_code VARCHAR(16) NOT NULL,
  old_agency_id VARCHAR(64) NOT NULL,
  new_agency_id VARCHAR(64) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  changed_at TIMESTAMP(6) NOT NULL,
  KEY ownership_changes_unit (unit_code, criteria_set_id, id)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS assessments (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  unit_code VARCHAR(16) NOT NULL,
  as_of DATE NOT NULL,
  criteria_set_id VARCHAR(64) NOT NULL,
  state TINYINT NOT NULL,
  version BIGINT NOT NULL,
  created_by VARCHAR(128) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL,
  updated_at TIMESTAMP(6) NOT NULL,
  submitted_by VARCHAR(128) NOT NULL DEFAULT '',
  submitted_at TIMESTAMP(6) NULL,
  UNIQUE KEY assessments_unit_date (unit_code, as_of),
  KEY assessments_date (as_of, unit_code),
  CONSTRAINT assessments_unit_fk FOREIGN KEY (unit_code) REFERENCES units (code),
  CONSTRAINT assessments_set_fk FOREIGN KEY (criteria_set_id) REFERENCES criteria_sets (id)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS assessment_values (
  assessment_id BIGINT NOT NULL,
  indicator_code VARCHAR(16) NOT NULL,
  kind TINYINT NOT NULL,
  bool_value BOOLEAN NULL,
  number_value DECIMAL(20,4) NULL,
  count_value BIGINT NULL,
  note TEXT NOT NULL,
  evidence VARCHAR(1000) NOT NULL,
  source TINYINT NOT NULL,
  supplied_by VARCHAR(128) NOT NULL,
  agency_id VARCHAR(64) NOT NULL DEFAULT '',
  updated_at TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (assessment_id, indicator_code),
  CONSTRAINT assessment_values_assessment_fk FOREIGN KEY (assessment_id) REFERENCES assessments (id)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS criterion_reviews (
  assessment_id BIGINT NOT NULL,
  criterion_code VARCHAR(16) NOT NULL,
  agency_id VARCHAR(64) NOT NULL,
  verdict TINYINT NOT NULL,
  reason TEXT NOT NULL,
  reviewer VARCHAR(128) NOT NULL,
  reviewed_at TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (assessment_id, criterion_code, agency_id),
  CONSTRAINT criterion_reviews_assessment_fk FOREIGN KEY (assessment_id) REFERENCES assessments (id)
) ENGINE=InnoDB;

-- Append-only history of every assessment.
CREATE TABLE IF NOT EXISTS assessment_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  assessment_id BIGINT NOT NULL,
  action VARCHAR(32) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  agency_id VARCHAR(64) NOT NULL DEFAULT '',
  at TIMESTAMP(6) NOT NULL,
  detail TEXT NOT NULL,
  KEY assessment_events_assessment (assessment_id, id),
  CONSTRAINT assessment_events_assessment_fk FOREIGN KEY (assessment_id) REFERENCES assessments (id)
) ENGINE=InnoDB;

-- Request ids of idempotent calls: a retry with the same id returns the first result.
CREATE TABLE IF NOT EXISTS request_ids (
  method VARCHAR(64) NOT NULL,
  request_id VARCHAR(64) NOT NULL,
  request_hash CHAR(16) NOT NULL,
  resource VARCHAR(128) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL,
  PRIMARY KEY (method, request_id)
) ENGINE=InnoDB;
