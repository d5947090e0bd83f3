-- Orchestrator store, schema version 8, H2: run leases, shared budget accounts and pauses, so any number of engine
-- instances in any number of processes share one store (Store.claimRuns, Store.ledger, Store.savePause).
-- Keep this file and ../postgresql/V8__run_leases.sql in step: same tables, same columns, same meaning.

-- Who holds a run, until when by the database clock, and a fencing token that grows with every claim of the run, so a
-- holder that lost its lease can no longer write (a write checks owner and token on the run's row, which it locks).
-- A run is claimable while its status is RUNNING and lease_owner is null or lease_until is past. A release, or the run
-- leaving RUNNING, clears the owner and keeps the token.
ALTER TABLE runs ADD COLUMN lease_owner VARCHAR;
ALTER TABLE runs ADD COLUMN lease_until TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE runs ADD COLUMN lease_fence BIGINT DEFAULT 0 NOT NULL;
CREATE INDEX runs_lease_owner ON runs (lease_owner);

-- The run a command is for, so the holder of its lease takes it (takeCommands(owner)); null in rows written before
-- version 8, which only takeCommands() hands out.
ALTER TABLE commands ADD COLUMN run_id VARCHAR;
CREATE INDEX commands_run ON commands (project, run_id);

-- One row per reservation made under a run's lease (Ledger.reserve): its amount is in the reserved column of every
-- account it names (a JSON array of Account). settle() deletes the row and takes the amount out again; a claim of the
-- run deletes the rows of earlier leases (fence lower than the new one) the same way, so a crashed holder keeps
-- nothing blocked.
CREATE TABLE budget_reservations (
  id         VARCHAR(200) NOT NULL PRIMARY KEY,
  project    VARCHAR(100) NOT NULL,
  run_id     VARCHAR NOT NULL,
  fence      BIGINT NOT NULL,                          -- the lease it was made under
  amount     DECIMAL(38, 18) NOT NULL,
  accounts   CHARACTER LARGE OBJECT NOT NULL,          -- JSON array of Account
  created_at TIMESTAMP(6) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);
CREATE INDEX budget_reservations_run ON budget_reservations (project, run_id, fence);

-- The alert thresholds each account has crossed, so each is reported once whichever process settles (a settlement
-- inserts the row while it holds the account's row lock). Raising a limit deletes the rows above the new share.
CREATE TABLE budget_alerts (
  scope_kind VARCHAR(20) NOT NULL,
  scope_name VARCHAR NOT NULL,
  period     VARCHAR(10) NOT NULL,                     -- as in budget_accounts
  threshold  DOUBLE PRECISION NOT NULL,                -- the share of the limit, such as 0.75
  PRIMARY KEY (scope_kind, scope_name, period, threshold)
);

-- Pauses every engine honours: a project's name (case-sensitive) or a provider instance's lower-case name.
CREATE TABLE pauses (
  kind      VARCHAR(20) NOT NULL,                      -- Pause.Kind name
  name      VARCHAR NOT NULL,
  reason    CHARACTER LARGE OBJECT NOT NULL,
  paused_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (kind, name)
);
