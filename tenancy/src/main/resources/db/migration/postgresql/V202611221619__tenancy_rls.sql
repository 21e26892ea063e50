-- Row-level security for tenancy's tables, and the application role that makes it real.
--
-- Superusers and roles with BYPASSRLS are not subject to row-level security, and on many
-- installations the pool connects as exactly such a user. So every transaction switches to
-- maestro_app (Database: db.rlsRole, SET LOCAL ROLE), a NOLOGIN role without BYPASSRLS that holds
-- only data privileges. Roles are per cluster, so the role is created once, guarded; the grants are
-- per schema (several installations or test runs may share one cluster).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'maestro_app') THEN
    CREATE ROLE maestro_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
  END IF;
EXCEPTION
  WHEN duplicate_object THEN NULL; -- created concurrently by another migration run
END
$$;

DO $$
DECLARE
  s text := current_schema();
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO maestro_app', s);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO maestro_app', s);
  EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO maestro_app', s);
  -- Tables and sequences later migrations create (by the user running them) get the same grants.
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO maestro_app', s);
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO maestro_app', s);
END
$$;

-- The catalogue of roles is shared by all tenants and holds nothing of any tenant.
REVOKE INSERT, UPDATE, DELETE ON roles FROM maestro_app;

-- A tenant-scoped transaction sees only its own tenant's row; creating tenants and listing all
-- of them needs the platform scope.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenants_tenant ON tenants USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE tenant_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_members FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_members_tenant ON tenant_members USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
