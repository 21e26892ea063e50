-- Row-level security: a tenant-scoped transaction sees only its own impersonation sessions; the
-- authenticator resolves a session named in a request, and the expiry sweep runs, under the
-- platform scope.

ALTER TABLE lifecycle_impersonations ENABLE ROW LEVEL SECURITY;
ALTER TABLE lifecycle_impersonations FORCE ROW LEVEL SECURITY;
CREATE POLICY lifecycle_impersonations_tenant ON lifecycle_impersonations USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
