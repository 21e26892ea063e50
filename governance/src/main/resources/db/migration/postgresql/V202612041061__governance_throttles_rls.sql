-- Row-level security: a tenant-scoped transaction sees only its own throttles.
ALTER TABLE governance_throttles ENABLE ROW LEVEL SECURITY;
ALTER TABLE governance_throttles FORCE ROW LEVEL SECURITY;
CREATE POLICY governance_throttles_tenant ON governance_throttles USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
