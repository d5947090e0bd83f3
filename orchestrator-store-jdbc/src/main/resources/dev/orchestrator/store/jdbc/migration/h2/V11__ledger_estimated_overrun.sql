-- Orchestrator store, schema version 11: each budget account keeps apart the part of its spending that was settled
-- as an estimate, and what calls cost beyond their reservations, so reports show measured and estimated spend and
-- overruns from the store rather than from one process's memory.
-- Keep this file and ../postgresql/V11__ledger_estimated_overrun.sql in step: same columns, same meaning.

-- estimated: the part of spent settled as an estimate (a call that may have been billed without reporting its
-- usage, recorded at its reservation). Never more than spent. Rows written before this version have none.
ALTER TABLE budget_accounts ADD COLUMN estimated DECIMAL(38, 18) DEFAULT 0 NOT NULL;

-- overrun: the sum over settlements of max(0, actual - reservation) for settlements whose reservation was still
-- held; a late settlement of a released reservation adds nothing here.
ALTER TABLE budget_accounts ADD COLUMN overrun DECIMAL(38, 18) DEFAULT 0 NOT NULL;
