-- Row-level security: a tenant-scoped transaction sees only its own governance rows; global
-- kill switches ('*') are read under the platform scope.

ALTER TABLE governance_ramps ENABLE ROW LEVEL SECURITY;
ALTER TABLE governance_ramps FORCE ROW LEVEL SECURITY;
CREATE POLICY governance_ramps_tenant ON governance_ramps USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE governance_ramp_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE governance_ramp_history FORCE ROW LEVEL SECURITY;
CREATE POLICY governance_ramp_history_tenant ON governance_ramp_history USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE governance_kill_switches ENABLE ROW LEVEL SECURITY;
ALTER TABLE governance_kill_switches FORCE ROW LEVEL SECURITY;
CREATE POLICY governance_kill_switches_tenant ON governance_kill_switches USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE governance_freezes ENABLE ROW LEVEL SECURITY;
ALTER TABLE governance_freezes FORCE ROW LEVEL SECURITY;
CREATE POLICY governance_freezes_tenant ON governance_freezes USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE governance_break_glass ENABLE ROW LEVEL SECURITY;
ALTER TABLE governance_break_glass FORCE ROW LEVEL SECURITY;
CREATE POLICY governance_break_glass_tenant ON governance_break_glass USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE governance_break_glass_uses ENABLE ROW LEVEL SECURITY;
ALTER TABLE governance_break_glass_uses FORCE ROW LEVEL SECURITY;
CREATE POLICY governance_break_glass_uses_tenant ON governance_break_glass_uses USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

