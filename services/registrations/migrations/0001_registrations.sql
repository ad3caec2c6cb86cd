-- The registrations service's schema: each commune's registration for a directive (its model
-- point, its villages as the directory named them, the indicator codes of its criteria set), one
-- change per village and year, the endorsements, every transition, the district's chosen model
-- point, and the outbox. Text is utf8mb4 with the schema's Vietnamese collation; times are UTC.

CREATE TABLE registrations (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  directive_id VARCHAR(64) NOT NULL,
  -- The unit that issued the directive (its resource name is units/{this}/directives/{id}).
  issuing_unit_code VARCHAR(16) NOT NULL,
  unit_code VARCHAR(16) NOT NULL,
  year SMALLINT NOT NULL,
  state VARCHAR(16) NOT NULL,
  unit_display_name VARCHAR(255) NOT NULL DEFAULT '',
  -- The unit and its ancestors, e.g. '/12/106/03424/', for listing below a unit.
  unit_path VARCHAR(255) NOT NULL DEFAULT '',
  -- Comma-separated indicator codes of the criteria set when the registration was created.
  known_indicators TEXT NOT NULL,
  has_model_point BOOLEAN NOT NULL DEFAULT FALSE,
  model_content VARCHAR(2000) NOT NULL DEFAULT '',
  model_place VARCHAR(500) NOT NULL DEFAULT '',
  model_topic VARCHAR(500) NOT NULL DEFAULT '',
  model_indicators VARCHAR(500) NOT NULL DEFAULT '',
  submitted_at TIMESTAMP(6) NULL,
  submitted_late BOOLEAN NOT NULL DEFAULT FALSE,
  created_by VARCHAR(128) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL,
  updated_by VARCHAR(128) NOT NULL,
  updated_at TIMESTAMP(6) NOT NULL,
  version INT NOT NULL DEFAULT 1,
  -- One model point per commune and year: one registration per commune and year.
  UNIQUE KEY registrations_unit_year (unit_code, year),
  KEY registrations_directive (directive_id, unit_code)
) ENGINE=InnoDB;

-- The commune's villages when the registration was created.
CREATE TABLE registration_villages (
  registration_id VARCHAR(64) NOT NULL,
  village_code VARCHAR(16) NOT NULL,
  display_name VARCHAR(255) NOT NULL,
  PRIMARY KEY (registration_id, village_code),
  CONSTRAINT registration_villages_fk FOREIGN KEY (registration_id) REFERENCES registrations (id)
) ENGINE=InnoDB;

-- At most one change per village and year, held by the unique key.
CREATE TABLE village_changes (
  registration_id VARCHAR(64) NOT NULL,
  village_code VARCHAR(16) NOT NULL,
  year SMALLINT NOT NULL,
  position INT NOT NULL,
  content VARCHAR(2000) NOT NULL,
  place VARCHAR(500) NOT NULL DEFAULT '',
  indicator_codes VARCHAR(500) NOT NULL DEFAULT '',
  last_year_state VARCHAR(2000) NOT NULL DEFAULT '',
  this_year_target VARCHAR(2000) NOT NULL DEFAULT '',
  PRIMARY KEY (registration_id, village_code),
  UNIQUE KEY village_changes_village_year (village_code, year),
  CONSTRAINT village_changes_fk FOREIGN KEY (registration_id) REFERENCES registrations (id)
) ENGINE=InnoDB;

CREATE TABLE registration_endorsements (
  registration_id VARCHAR(64) NOT NULL,
  body TINYINT NOT NULL,
  signed_by VARCHAR(500) NOT NULL,
  signed_on DATE NOT NULL,
  PRIMARY KEY (registration_id, body),
  CONSTRAINT registration_endorsements_fk FOREIGN KEY (registration_id) REFERENCES registrations (id)
) ENGINE=InnoDB;

-- Every transition and edit: who, when, from which state to which, and why.
CREATE TABLE registration_history (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  registration_id VARCHAR(64) NOT NULL,
  action VARCHAR(16) NOT NULL,
  from_state VARCHAR(16) NOT NULL,
  to_state VARCHAR(16) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  at TIMESTAMP(6) NOT NULL,
  reason VARCHAR(2000) NOT NULL DEFAULT '',
  KEY registration_history_registration (registration_id, id)
) ENGINE=InnoDB;

-- The district's one model point for a directive's year: a commune's (copied when chosen) or
-- its own; every choice kept.
CREATE TABLE district_model_points (
  directive_id VARCHAR(64) NOT NULL PRIMARY KEY,
  district_code VARCHAR(16) NOT NULL,
  year SMALLINT NOT NULL,
  registration_id VARCHAR(64) NULL,
  content VARCHAR(2000) NOT NULL,
  place VARCHAR(500) NOT NULL DEFAULT '',
  topic VARCHAR(500) NOT NULL DEFAULT '',
  indicator_codes VARCHAR(500) NOT NULL DEFAULT '',
  chosen_by VARCHAR(128) NOT NULL,
  chosen_at TIMESTAMP(6) NOT NULL,
  version INT NOT NULL DEFAULT 1
) ENGINE=InnoDB;

CREATE TABLE district_model_point_history (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  directive_id VARCHAR(64) NOT NULL,
  registration_id VARCHAR(64) NULL,
  content VARCHAR(2000) NOT NULL,
  reason VARCHAR(2000) NOT NULL DEFAULT '',
  chosen_by VARCHAR(128) NOT NULL,
  chosen_at TIMESTAMP(6) NOT NULL,
  KEY district_model_point_history_directive (directive_id, id)
) ENGINE=InnoDB;

-- Events for the notifications service, written in the same transaction as the change.
CREATE TABLE outbox (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id VARCHAR(255) NOT NULL,
  event_type VARCHAR(64) NOT NULL,
  subject VARCHAR(255) NOT NULL,
  payload TEXT NOT NULL,
  created_at TIMESTAMP(6) NOT NULL,
  published_at TIMESTAMP(6) NULL,
  UNIQUE KEY outbox_event (event_id),
  KEY outbox_unpublished (published_at, id)
) ENGINE=InnoDB;
