-- A tenant-scoped transaction sees only its own tenant's brand assignment.
ALTER TABLE tenancy_brand_assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenancy_brand_assignments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenancy_brand_assignments_tenant ON tenancy_brand_assignments USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
