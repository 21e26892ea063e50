-- Row-level security: a tenant-scoped transaction sees only its own pending amounts; the folder
-- works in the platform scope.

ALTER TABLE metering_pending ENABLE ROW LEVEL SECURITY;
ALTER TABLE metering_pending FORCE ROW LEVEL SECURITY;
CREATE POLICY metering_pending_tenant ON metering_pending USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
