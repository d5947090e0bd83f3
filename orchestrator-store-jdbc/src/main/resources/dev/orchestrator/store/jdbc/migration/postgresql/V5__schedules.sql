-- Orchestrator store, schema version 5, PostgreSQL: schedules and the history of their fires (ScheduleStore).
-- Keep this file and ../h2/V5__schedules.sql in step: same tables, same columns, same meaning.

-- One row per schedule. save() inserts or updates by id (INSERT ... ON CONFLICT (id) DO UPDATE), so a schedule's
-- fires are kept when it is paused or resumed.
CREATE TABLE schedules (
  id              VARCHAR(200) NOT NULL PRIMARY KEY,
  project         VARCHAR(100) NOT NULL,
  workflow        TEXT NOT NULL,                       -- the workflow's name
  definition      TEXT NOT NULL,                       -- the workflow as the engine serialised it
  params          TEXT NOT NULL,                       -- JSON object of strings, in the schedule's order
  trigger_kind    VARCHAR(10) NOT NULL,                -- CRON or AT
  cron_expression TEXT,                                -- CRON: the expression
  cron_syntax     VARCHAR(10),                         -- CRON: CronSyntax name
  cron_repeat     BOOLEAN,                             -- CRON: every time, or only the first
  fire_at         TIMESTAMPTZ,                         -- AT: the instant
  zone            VARCHAR(100) NOT NULL,               -- IANA time zone
  misfire         TEXT NOT NULL,                       -- JSON MisfirePolicy (kind, window)
  paused          BOOLEAN NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL,
  CONSTRAINT schedules_trigger CHECK (
    (trigger_kind = 'CRON' AND cron_expression IS NOT NULL AND cron_syntax IS NOT NULL AND cron_repeat IS NOT NULL)
    OR (trigger_kind = 'AT' AND fire_at IS NOT NULL))
);

-- One row per (schedule, fire time): the primary key is what lets claimFire() succeed exactly once. A claim inserts
-- the row as CLAIMED (INSERT ... SELECT ... WHERE NOT paused ON CONFLICT DO NOTHING); completeFire() updates it by
-- its key. Deleting a schedule deletes its fires.
CREATE TABLE schedule_fires (
  schedule_id VARCHAR(200) NOT NULL,
  fire_time   TIMESTAMPTZ NOT NULL,
  outcome     VARCHAR(10) NOT NULL,                    -- ScheduleFire.Outcome name
  run_id      TEXT,                                    -- the run it started, if any
  recorded_at TIMESTAMPTZ NOT NULL,
  detail      TEXT NOT NULL,                           -- why it was skipped or failed; '' otherwise
  PRIMARY KEY (schedule_id, fire_time),
  CONSTRAINT schedule_fires_schedule FOREIGN KEY (schedule_id) REFERENCES schedules (id) ON DELETE CASCADE
);
