-- Row-level security: a tenant-scoped transaction sees only its own SCIM accounts.
ALTER TABLE tenancy_scim_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenancy_scim_accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenancy_scim_accounts_tenant ON tenancy_scim_accounts USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
