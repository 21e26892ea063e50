-- Row-level security: a tenant-scoped transaction sees only its own lifecycle rows; the purge
-- runner finds due purges under the platform scope.

ALTER TABLE lifecycle_purges ENABLE ROW LEVEL SECURITY;
ALTER TABLE lifecycle_purges FORCE ROW LEVEL SECURITY;
CREATE POLICY lifecycle_purges_tenant ON lifecycle_purges USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE lifecycle_purge_approvals ENABLE ROW LEVEL SECURITY;
ALTER TABLE lifecycle_purge_approvals FORCE ROW LEVEL SECURITY;
CREATE POLICY lifecycle_purge_approvals_tenant ON lifecycle_purge_approvals USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE lifecycle_purge_manifests ENABLE ROW LEVEL SECURITY;
ALTER TABLE lifecycle_purge_manifests FORCE ROW LEVEL SECURITY;
CREATE POLICY lifecycle_purge_manifests_tenant ON lifecycle_purge_manifests USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
