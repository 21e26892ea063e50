-- The runs list reads a tenant's runs newest first (ORDER BY tenant_id DESC, run_id DESC, with the
-- status or workflow filter between them). H2 reads an index in order only in the index's own
-- direction, so without these it sorts every run of the tenant for each page; PostgreSQL scans the
-- existing indexes backwards and needs none of these.
CREATE INDEX engine_runs_newest ON engine_runs (tenant_id DESC, run_id DESC);
CREATE INDEX engine_runs_status_newest ON engine_runs (tenant_id DESC, status DESC, run_id DESC);
CREATE INDEX engine_runs_workflow_newest ON engine_runs (tenant_id DESC, workflow DESC, run_id DESC);
