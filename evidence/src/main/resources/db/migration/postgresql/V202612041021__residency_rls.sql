-- Row-level security: a tenant-scoped transaction sees only its own residency rows.
ALTER TABLE residency_tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE residency_tags FORCE ROW LEVEL SECURITY;
CREATE POLICY residency_tags_tenant ON residency_tags USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
ALTER TABLE residency_cursors ENABLE ROW LEVEL SECURITY;
ALTER TABLE residency_cursors FORCE ROW LEVEL SECURITY;
CREATE POLICY residency_cursors_tenant ON residency_cursors USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
ALTER TABLE residency_findings ENABLE ROW LEVEL SECURITY;
ALTER TABLE residency_findings FORCE ROW LEVEL SECURITY;
CREATE POLICY residency_findings_tenant ON residency_findings USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
