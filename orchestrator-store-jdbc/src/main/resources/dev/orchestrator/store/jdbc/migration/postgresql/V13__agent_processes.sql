-- Orchestrator store, schema version 13, PostgreSQL: the agent processes (command-line agents) that engines started for
-- calls, with the engine that owns each (Store.saveAgentProcess). An engine that takes a run over ends the processes
-- its previous owner left on the same host, checking pid and start time so that a reused pid is never hit, and
-- removes their rows; an engine removes the row of each of its own processes once it has ended.
-- Keep this file and ../h2/V13__agent_processes.sql in step: same tables, same columns, same meaning.
CREATE TABLE agent_processes (
  host          VARCHAR(255) NOT NULL,
  pid           BIGINT NOT NULL,
  process_start TIMESTAMPTZ NOT NULL, -- the operating system's start time: with the pid, the process's identity
  project       VARCHAR(200) NOT NULL,
  run_id        VARCHAR(64) NOT NULL,
  task_id       VARCHAR(200) NOT NULL,
  attempt       INTEGER NOT NULL,
  owner         VARCHAR(200) NOT NULL,                  -- the engine that started it (the run's lease holder)
  PRIMARY KEY (host, pid, process_start)
);

CREATE INDEX agent_processes_run ON agent_processes (project, run_id);
