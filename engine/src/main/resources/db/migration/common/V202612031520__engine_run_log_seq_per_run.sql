-- Run-log line numbers count per run (1, 2, 3, ...) instead of one counter shared by every tenant,
-- which let a tenant measure the others' activity from the gaps between its own lines. Each run
-- keeps its last line number; the old global column stays as the row's internal key.
ALTER TABLE engine_runs ADD COLUMN log_seq BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE engine_run_logs ADD COLUMN run_seq BIGINT;

UPDATE engine_run_logs SET run_seq = (
  SELECT COUNT(*) FROM engine_run_logs x
  WHERE x.tenant_id = engine_run_logs.tenant_id AND x.run_id = engine_run_logs.run_id
    AND x.seq <= engine_run_logs.seq);
UPDATE engine_runs SET log_seq = (
  SELECT COUNT(*) FROM engine_run_logs x
  WHERE x.tenant_id = engine_runs.tenant_id AND x.run_id = engine_runs.run_id);

ALTER TABLE engine_run_logs ALTER COLUMN run_seq SET NOT NULL;
CREATE UNIQUE INDEX engine_run_logs_run_seq ON engine_run_logs (tenant_id, run_id, run_seq);
