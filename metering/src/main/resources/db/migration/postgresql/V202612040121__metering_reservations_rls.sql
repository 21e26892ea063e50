-- Row-level security: a tenant-scoped transaction sees only its own reservations.

ALTER TABLE metering_reservations ENABLE ROW LEVEL SECURITY;
ALTER TABLE metering_reservations FORCE ROW LEVEL SECURITY;
CREATE POLICY metering_reservations_tenant ON metering_reservations USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
