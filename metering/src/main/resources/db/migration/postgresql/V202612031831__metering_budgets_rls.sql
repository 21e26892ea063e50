-- Row-level security: a tenant-scoped transaction sees only its own budgets, spend, estimates and alerts.

ALTER TABLE metering_budgets ENABLE ROW LEVEL SECURITY;
ALTER TABLE metering_budgets FORCE ROW LEVEL SECURITY;
CREATE POLICY metering_budgets_tenant ON metering_budgets USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE metering_spend ENABLE ROW LEVEL SECURITY;
ALTER TABLE metering_spend FORCE ROW LEVEL SECURITY;
CREATE POLICY metering_spend_tenant ON metering_spend USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE metering_run_estimates ENABLE ROW LEVEL SECURITY;
ALTER TABLE metering_run_estimates FORCE ROW LEVEL SECURITY;
CREATE POLICY metering_run_estimates_tenant ON metering_run_estimates USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE metering_budget_alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE metering_budget_alerts FORCE ROW LEVEL SECURITY;
CREATE POLICY metering_budget_alerts_tenant ON metering_budget_alerts USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
