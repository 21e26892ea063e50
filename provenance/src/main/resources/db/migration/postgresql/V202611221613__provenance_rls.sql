-- Row-level security: a tenant-scoped transaction sees only its own log; the platform log
-- ('_platform') is visible to platform-scoped transactions only.
ALTER TABLE provenance_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE provenance_log FORCE ROW LEVEL SECURITY;
CREATE POLICY provenance_log_tenant ON provenance_log USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE provenance_receipt ENABLE ROW LEVEL SECURITY;
ALTER TABLE provenance_receipt FORCE ROW LEVEL SECURITY;
CREATE POLICY provenance_receipt_tenant ON provenance_receipt USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE provenance_node ENABLE ROW LEVEL SECURITY;
ALTER TABLE provenance_node FORCE ROW LEVEL SECURITY;
CREATE POLICY provenance_node_tenant ON provenance_node USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE provenance_checkpoint ENABLE ROW LEVEL SECURITY;
ALTER TABLE provenance_checkpoint FORCE ROW LEVEL SECURITY;
CREATE POLICY provenance_checkpoint_tenant ON provenance_checkpoint USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
