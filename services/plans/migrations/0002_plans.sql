-- Plans: one per addressed unit and directive, in the template's form, with every transition
-- kept. Money is whole đồng (BIGINT); target values are scaled by 10^4 like the assessment's.

CREATE TABLE plans (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  directive_id VARCHAR(64) NOT NULL,
  unit_code VARCHAR(16) NOT NULL,
  state VARCHAR(16) NOT NULL,
  status_summary TEXT NOT NULL,
  solutions TEXT NOT NULL,
  organisation TEXT NOT NULL,
  funding_total_dong BIGINT NOT NULL DEFAULT 0,
  submitted_at TIMESTAMP(6) NULL,
  submitted_late BOOLEAN NOT NULL DEFAULT FALSE,
  created_by VARCHAR(128) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL,
  updated_by VARCHAR(128) NOT NULL,
  updated_at TIMESTAMP(6) NOT NULL,
  version INT NOT NULL DEFAULT 1,
  UNIQUE KEY plans_directive_unit (directive_id, unit_code),
  KEY plans_unit (unit_code),
  CONSTRAINT plans_directive_fk FOREIGN KEY (directive_id) REFERENCES directives (id)
) ENGINE=InnoDB;

CREATE TABLE plan_targets (
  plan_id VARCHAR(64) NOT NULL,
  position INT NOT NULL,
  indicator_code VARCHAR(16) NOT NULL,
  reach_standard BOOLEAN NOT NULL,
  value_fixed4 BIGINT NULL,
  note VARCHAR(2000) NOT NULL DEFAULT '',
  focus BOOLEAN NOT NULL DEFAULT FALSE,
  PRIMARY KEY (plan_id, position),
  KEY plan_targets_indicator (indicator_code),
  CONSTRAINT plan_targets_plan_fk FOREIGN KEY (plan_id) REFERENCES plans (id)
) ENGINE=InnoDB;

CREATE TABLE plan_tasks (
  plan_id VARCHAR(64) NOT NULL,
  position INT NOT NULL,
  content_group TINYINT NOT NULL,
  content VARCHAR(2000) NOT NULL,
  responsible VARCHAR(500) NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE NOT NULL,
  indicator_codes VARCHAR(500) NOT NULL DEFAULT '',
  cost_dong BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (plan_id, position),
  CONSTRAINT plan_tasks_plan_fk FOREIGN KEY (plan_id) REFERENCES plans (id)
) ENGINE=InnoDB;

-- Funding lines: kind 'group' (content group 1-5) or 'source' (funding source 1-8).
CREATE TABLE plan_funding (
  plan_id VARCHAR(64) NOT NULL,
  kind VARCHAR(8) NOT NULL,
  code TINYINT NOT NULL,
  amount_dong BIGINT NOT NULL,
  PRIMARY KEY (plan_id, kind, code),
  CONSTRAINT plan_funding_plan_fk FOREIGN KEY (plan_id) REFERENCES plans (id)
) ENGINE=InnoDB;

-- Every transition and edit: who, when, from which state to which, and why.
CREATE TABLE plan_history (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  plan_id VARCHAR(64) NOT NULL,
  action VARCHAR(16) NOT NULL,
  from_state VARCHAR(16) NOT NULL,
  to_state VARCHAR(16) NOT NULL,
  actor VARCHAR(128) NOT NULL,
  at TIMESTAMP(6) NOT NULL,
  reason VARCHAR(2000) NOT NULL DEFAULT '',
  KEY plan_history_plan (plan_id, id)
) ENGINE=InnoDB;
