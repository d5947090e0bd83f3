-- Orchestrator store, schema version 5, H2: schedules and the history of their fires (ScheduleStore).
-- Keep this file and ../postgresql/V5__schedules.sql in step: same tables, same columns, same meaning.

-- One row per schedule. save() inserts or updates by id (MERGE ... KEY (id)), so a schedule's fires are kept when it
-- is paused or resumed.
CREATE TABLE schedules (
  id              VARCHAR(200) NOT NULL PRIMARY KEY,
  project         VARCHAR(100) NOT NULL,
  workflow        VARCHAR NOT NULL,                    -- the workflow's name
  definition      CHARACTER LARGE OBJECT NOT NULL,     -- the workflow as the engine serialised it
  params          CHARACTER LARGE OBJECT NOT NULL,     -- JSON object of strings, in the schedule's order
  trigger_kind    VARCHAR(10) NOT NULL,                -- CRON or AT
  cron_expression VARCHAR,                             -- CRON: the expression
  cron_syntax     VARCHAR(10),                         -- CRON: CronSyntax name
  cron_repeat     BOOLEAN,                             -- CRON: every time, or only the first
  fire_at         TIMESTAMP(6) WITH TIME ZONE,         -- AT: the instant
  zone            VARCHAR(100) NOT NULL,               -- IANA time zone
  misfire         CHARACTER LARGE OBJECT NOT NULL,     -- JSON MisfirePolicy (kind, window)
  paused          BOOLEAN NOT NULL,
  created_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  CONSTRAINT schedules_trigger CHECK (
    (trigger_kind = 'CRON' AND cron_expression IS NOT NULL AND cron_syntax IS NOT NULL AND cron_repeat IS NOT NULL)
    OR (trigger_kind = 'AT' AND fire_at IS NOT NULL))
);

-- One row per (schedule, fire time): the primary key is what lets claimFire() succeed exactly once. A claim inserts
-- the row as CLAIMED (INSERT ... SELECT ... WHERE NOT EXISTS; a duplicate key means "claimed before");
-- completeFire() updates it by its key. Deleting a schedule deletes its fires.
CREATE TABLE schedule_fires (
  schedule_id VARCHAR(200) NOT NULL,
  fire_time   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  outcome     VARCHAR(10) NOT NULL,                    -- ScheduleFire.Outcome name
  run_id      VARCHAR,                                 -- the run it started, if any
  recorded_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  detail      CHARACTER LARGE OBJECT NOT NULL,         -- why it was skipped or failed; '' otherwise
  PRIMARY KEY (schedule_id, fire_time),
  CONSTRAINT schedule_fires_schedule FOREIGN KEY (schedule_id) REFERENCES schedules (id) ON DELETE CASCADE
);
