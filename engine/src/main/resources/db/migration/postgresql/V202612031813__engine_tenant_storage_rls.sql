-- Row-level security of the storage counter, as for the other engine tables.
ALTER TABLE engine_tenant_storage ENABLE ROW LEVEL SECURITY;
ALTER TABLE engine_tenant_storage FORCE ROW LEVEL SECURITY;
CREATE POLICY engine_tenant_storage_tenant ON engine_tenant_storage USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
