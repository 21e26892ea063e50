-- Row-level security: a tenant-scoped transaction sees only its own retention rules, holds and
-- batches; the retention job finds the tenants with rules under the platform scope.

ALTER TABLE lifecycle_retention_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE lifecycle_retention_rules FORCE ROW LEVEL SECURITY;
CREATE POLICY lifecycle_retention_rules_tenant ON lifecycle_retention_rules USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE lifecycle_legal_holds ENABLE ROW LEVEL SECURITY;
ALTER TABLE lifecycle_legal_holds FORCE ROW LEVEL SECURITY;
CREATE POLICY lifecycle_legal_holds_tenant ON lifecycle_legal_holds USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE lifecycle_retention_batches ENABLE ROW LEVEL SECURITY;
ALTER TABLE lifecycle_retention_batches FORCE ROW LEVEL SECURITY;
CREATE POLICY lifecycle_retention_batches_tenant ON lifecycle_retention_batches USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
