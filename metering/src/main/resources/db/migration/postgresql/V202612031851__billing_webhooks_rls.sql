-- Row-level security: a tenant-scoped transaction sees only its own endpoints, deliveries and attempts.

ALTER TABLE billing_webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_webhook_endpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY billing_webhook_endpoints_tenant ON billing_webhook_endpoints USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE billing_webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY billing_webhook_deliveries_tenant ON billing_webhook_deliveries USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE billing_webhook_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_webhook_attempts FORCE ROW LEVEL SECURITY;
CREATE POLICY billing_webhook_attempts_tenant ON billing_webhook_attempts USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
