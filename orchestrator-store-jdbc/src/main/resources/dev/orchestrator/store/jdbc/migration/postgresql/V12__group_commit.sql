-- Orchestrator store, schema version 12: engines claim runs that no live lease holds, oldest first; this index holds
-- the unfinished runs alone, so a claim does not walk the finished ones, however many there are.
-- PostgreSQL's sequences are not saved with the transaction, so the events' numbering needs nothing here (a cache
-- per session would break the stream's order, so it stays at 1).
-- Keep this file and ../h2/V12__group_commit.sql in step.
CREATE INDEX runs_claimable ON runs (submitted_at, seq) WHERE status = 'RUNNING';
