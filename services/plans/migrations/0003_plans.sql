-- What the plans service keeps of the directory and of the assessment, so that its views and its
-- validation do not depend on the assessment service being up: each addressed unit's name, and
-- each plan's commune name, place in the unit tree, and the baseline it was prefilled from.

ALTER TABLE directive_units ADD COLUMN display_name VARCHAR(255) NOT NULL DEFAULT '';

ALTER TABLE plans
  ADD COLUMN unit_display_name VARCHAR(255) NOT NULL DEFAULT '',
  -- The unit and its ancestors, e.g. '/12/106/03424/', for listing the plans below a unit.
  ADD COLUMN unit_path VARCHAR(255) NOT NULL DEFAULT '',
  ADD COLUMN baseline_assessment VARCHAR(128) NOT NULL DEFAULT '',
  ADD COLUMN baseline_criteria_set VARCHAR(128) NOT NULL DEFAULT '',
  ADD COLUMN baseline_criteria_met INT NOT NULL DEFAULT 0,
  ADD COLUMN baseline_criteria_total INT NOT NULL DEFAULT 0,
  -- Comma-separated indicator codes: every code of the criteria set, those met, those not met.
  ADD COLUMN baseline_known TEXT NOT NULL,
  ADD COLUMN baseline_met TEXT NOT NULL,
  ADD COLUMN baseline_not_met TEXT NOT NULL,
  ADD KEY plans_directive_state (directive_id, state);
