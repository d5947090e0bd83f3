-- Orchestrator store, schema version 6, PostgreSQL: the store-wide event stream (Store.eventsAfter).
-- Keep this file and ../h2/V6__event_stream.sql in step: same tables, same columns, same meaning.

-- A reader of the stream remembers the last sequence number it saw (events.seq) and asks for what comes after it, so
-- an event must never become visible after one with a greater number. Concurrent appends would break that: numbers
-- are drawn when a row is inserted, not when it commits. This one row is what appends queue on.
--   H2: every append locks the row (SELECT ... FOR UPDATE) before it inserts its event and keeps the lock until it
--       commits, so numbers are drawn and committed in one order, in this process and in every process that shares
--       the file through the automatic server (they all go through the one database engine that holds the lock).
--   PostgreSQL: the row is not locked; the table's identity keys the advisory locks that appends share and that a
--       reader takes alone to learn how far the stream is complete (see JdbcStore's internal EventLog).
CREATE TABLE event_writers (
  id INTEGER NOT NULL PRIMARY KEY,
  CONSTRAINT event_writers_one_row CHECK (id = 0)
);
INSERT INTO event_writers (id) VALUES (0);
