-- Row-level security: a tenant-scoped transaction sees only its own exports.
ALTER TABLE evidence_exports ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence_exports FORCE ROW LEVEL SECURITY;
CREATE POLICY evidence_exports_tenant ON evidence_exports USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
