-- Row-level security: a tenant-scoped transaction sees only its own incidents.
ALTER TABLE governance_incidents ENABLE ROW LEVEL SECURITY;
ALTER TABLE governance_incidents FORCE ROW LEVEL SECURITY;
CREATE POLICY governance_incidents_tenant ON governance_incidents USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE governance_incident_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE governance_incident_events FORCE ROW LEVEL SECURITY;
CREATE POLICY governance_incident_events_tenant ON governance_incident_events USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
