-- Orchestrator store, schema version 10, PostgreSQL: provider health shared by every process
-- (Store.providerHealth()): each provider's circuit breaker and its sliding-minute rate window.
-- Keep this file and ../h2/V10__provider_health.sql in step: same tables, same columns, same meaning.

-- One row per provider instance (lower-case name), created on its first write. Every write locks the row
-- (SELECT ... FOR UPDATE) for its whole transaction, and with it the provider's failures and starts below, so each
-- change of a circuit and each start is atomic and exactly one writer learns of each move of the circuit. Times are
-- the callers' (the engines' clocks), not the database's.
-- An OPEN circuit whose open_until has come reads as HALF_OPEN; the first writer to see it records the move.
CREATE TABLE provider_health (
  provider        VARCHAR(200) NOT NULL PRIMARY KEY,
  state           VARCHAR(10) DEFAULT 'CLOSED' NOT NULL, -- CircuitState.State name: CLOSED, OPEN, HALF_OPEN
  opened_at       TIMESTAMPTZ,                            -- when it last opened; NULL when closed
  open_until      TIMESTAMPTZ,                            -- when it lets a probe through; NULL when closed
  probe_successes INTEGER DEFAULT 0 NOT NULL,             -- successful probes since it half-opened
  probe_owner     VARCHAR(200),                           -- who holds the probe claim; NULL when nobody does
  probe_until     TIMESTAMPTZ                             -- until when: past it, another process may claim the probe
);

-- The counted failures of a closed circuit within its window (pruned at each failure; deleted when it opens).
CREATE TABLE provider_failures (
  provider  VARCHAR(200) NOT NULL,
  failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX provider_failures_provider ON provider_failures (provider, failed_at);

-- The call starts of the last minute, with their estimated tokens (pruned as the window slides).
CREATE TABLE provider_starts (
  provider   VARCHAR(200) NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  tokens     BIGINT NOT NULL
);
CREATE INDEX provider_starts_provider ON provider_starts (provider, started_at);
