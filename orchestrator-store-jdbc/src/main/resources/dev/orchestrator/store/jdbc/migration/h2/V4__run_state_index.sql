-- Whether a run still has an unfinished task is asked on every finish: an index by run and state answers it without
-- reading the run's other tasks.
CREATE INDEX tasks_run_state ON tasks (project, run_id, state);
