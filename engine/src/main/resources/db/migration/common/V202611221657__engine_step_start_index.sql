-- Quota checks count a tenant's steps started in the last minute on every governed request;
-- without this index that count scans all of the tenant's steps.
CREATE INDEX engine_steps_started ON engine_steps (tenant_id, started_at);
