-- The bytes of step output (as JSON) each run has stored, kept with the run so the per-run cap and
-- the tenant's storage quota are checked before a step's output is stored.
ALTER TABLE engine_runs ADD COLUMN output_bytes BIGINT DEFAULT 0 NOT NULL;
