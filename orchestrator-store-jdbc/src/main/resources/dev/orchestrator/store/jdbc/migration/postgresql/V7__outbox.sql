-- Orchestrator store, schema version 7, PostgreSQL: the transactional outbox over the event stream (Store.outbox()).
-- Keep this file and ../h2/V7__outbox.sql in step: same tables, same columns, same meaning.

-- One row per relay (such as 'notifications'): the sequence of the last event it relayed and its own state (open
-- digest windows, rate-limit buckets: opaque JSON). advance() updates the row WHERE cursor_version = the version the
-- relay read, and inserts the relay's deliveries in the same transaction: a relay that lost the race writes nothing.
-- The first advance inserts the row; the primary key lets one of two first advances win.
CREATE TABLE outbox_cursors (
  relay          VARCHAR(200) NOT NULL PRIMARY KEY,
  event_position BIGINT NOT NULL,                      -- the sequence of the last event relayed
  cursor_version BIGINT NOT NULL,                      -- grows by one with every advance
  state          TEXT NOT NULL,                        -- the relay's state, opaque
  updated_at     TIMESTAMPTZ NOT NULL                  -- by the database clock
);

-- One row per advance of a relay, keyed by the version it made: advance() inserts (relay, the version it read + 1)
-- before it touches the cursor, so of two relays that read the same version the primary key lets exactly one win,
-- whatever the database's isolation does with the cursor row's conditional UPDATE. The oldest rows are pruned as
-- relays advance (the last 10,000 are kept).
CREATE TABLE outbox_advances (
  relay          VARCHAR(200) NOT NULL,
  cursor_version BIGINT NOT NULL,
  event_position BIGINT NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (relay, cursor_version)
);

-- One row per delivery. claim() takes due rows one by one with an UPDATE conditional on the claim token it read, so a
-- row another process took meanwhile is passed over; the outcome (delivered, retry, failed, release) is an UPDATE
-- conditional on the claim token as well (delivered only on status), so a process whose lease ran out cannot undo the
-- claim of the process that took the row over. Every time is the database's.
CREATE TABLE outbox (
  relay          VARCHAR(200) NOT NULL,
  delivery_key   VARCHAR(200) NOT NULL,                -- the receivers' idempotency key, unique per relay
  event_seq      BIGINT NOT NULL,                      -- the event it was made for (a digest: its last event)
  project        VARCHAR(100) NOT NULL,
  destination    VARCHAR(200) NOT NULL,                -- such as a channel name
  payload        TEXT NOT NULL,                        -- what to send, opaque
  status         VARCHAR(10) NOT NULL,                 -- Outbox.Status name: PENDING, DELIVERED, FAILED
  attempts       INTEGER DEFAULT 0 NOT NULL,           -- claims made (each is an attempt)
  due_at         TIMESTAMPTZ NOT NULL,                 -- when it may be claimed next
  last_error     TEXT,                                 -- why the last attempt failed
  claim_token    BIGINT DEFAULT 0 NOT NULL,            -- grows with every claim
  lease_owner    VARCHAR(200),
  lease_until    TIMESTAMPTZ,                          -- NULL when no claim holds it
  created_at     TIMESTAMPTZ NOT NULL,
  finished_at    TIMESTAMPTZ,                          -- when delivered or given up on
  PRIMARY KEY (relay, delivery_key)
);
CREATE INDEX outbox_due ON outbox (relay, due_at) WHERE status = 'PENDING';
CREATE INDEX outbox_events ON outbox (relay, event_seq);
CREATE INDEX outbox_finished ON outbox (relay, status, finished_at);
