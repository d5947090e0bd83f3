-- Orchestrator store, schema version 12: an engine writes a pass of its work (many task updates and events) in one
-- transaction. H2 saves its sequences to the file whenever their cache of numbers runs out, and with WRITE_DELAY=0
-- each such save writes every changed page of the open transaction to disk: with the default cache of 32, one in 32
-- events did. Numbers drawn but not used (a crash) leave a gap in the event stream, which readers allow.
-- Keep this file and ../postgresql/V12__group_commit.sql in step.
ALTER TABLE events ALTER COLUMN seq SET CACHE 100000;

-- The engine updates a task's row at each step of its life; every index that holds its state is rewritten with it.
-- These three serve only the task-claim protocol (ClaimStore), which engines do not use (they lease whole runs),
-- and H2 has no partial indexes to keep them small as PostgreSQL does: they cost every engine write and serve none.
-- Without them ClaimStore's claims and sweeps on the embedded store read the tasks table instead of an index.
DROP INDEX tasks_ready_queue;
DROP INDEX tasks_leases;
DROP INDEX tasks_retries;
