-- As policy_decisions: a tenant-scoped transaction sees only its tenant's results.
ALTER TABLE policy_request_results ENABLE ROW LEVEL SECURITY;
ALTER TABLE policy_request_results FORCE ROW LEVEL SECURITY;
CREATE POLICY policy_request_results_tenant ON policy_request_results USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
