-- Row-level security: a tenant-scoped transaction sees only its own events and rollups.

ALTER TABLE metering_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE metering_events FORCE ROW LEVEL SECURITY;
CREATE POLICY metering_events_tenant ON metering_events USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE metering_usage_minute ENABLE ROW LEVEL SECURITY;
ALTER TABLE metering_usage_minute FORCE ROW LEVEL SECURITY;
CREATE POLICY metering_usage_minute_tenant ON metering_usage_minute USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE metering_usage_hour ENABLE ROW LEVEL SECURITY;
ALTER TABLE metering_usage_hour FORCE ROW LEVEL SECURITY;
CREATE POLICY metering_usage_hour_tenant ON metering_usage_hour USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE metering_usage_day ENABLE ROW LEVEL SECURITY;
ALTER TABLE metering_usage_day FORCE ROW LEVEL SECURITY;
CREATE POLICY metering_usage_day_tenant ON metering_usage_day USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
