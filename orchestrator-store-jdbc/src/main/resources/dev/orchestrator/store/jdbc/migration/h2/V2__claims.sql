-- Orchestrator store, schema version 2, H2: what many workers need to share runs (ClaimStore).
-- Keep this file and ../postgresql/V2__claims.sql in step: same tables, same columns, same meaning.

-- How many of a task's dependencies have not succeeded yet; a BLOCKED task at 0 becomes READY.
ALTER TABLE tasks ADD COLUMN pending INTEGER DEFAULT 0 NOT NULL;
-- When a task in RETRY_WAIT becomes READY again (by the worker's clock; the sweeper compares it with the database's).
ALTER TABLE tasks ADD COLUMN retry_at TIMESTAMP(6) WITH TIME ZONE;
CREATE INDEX tasks_retries ON tasks (state, retry_at);

-- The dependency edges of enqueued runs: task_id waits for depends_on. Read from the finished task's side.
CREATE TABLE task_dependencies (
  project    VARCHAR(100) NOT NULL,
  run_id     VARCHAR NOT NULL,
  depends_on VARCHAR NOT NULL,
  task_id    VARCHAR NOT NULL,
  PRIMARY KEY (project, run_id, depends_on, task_id),
  CONSTRAINT task_dependencies_run FOREIGN KEY (project, run_id) REFERENCES runs (project, run_id) ON DELETE CASCADE
);

-- Budget accounts: one row per scope and period (period is '' for scopes that are not daily, else ISO yyyy-mm-dd).
-- reserve() adds to reserved with a conditional UPDATE under the scope's stored limit; finish() moves the call's
-- reservation out of reserved and adds its actual cost to spent.
CREATE TABLE budget_accounts (
  scope_kind VARCHAR(20) NOT NULL,
  scope_name VARCHAR NOT NULL,
  period     VARCHAR(10) NOT NULL,
  spent      DECIMAL(38, 18) DEFAULT 0 NOT NULL,
  reserved   DECIMAL(38, 18) DEFAULT 0 NOT NULL,
  PRIMARY KEY (scope_kind, scope_name, period)
);
