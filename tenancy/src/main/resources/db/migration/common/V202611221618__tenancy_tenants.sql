-- Tenancy: tenants, the role catalogue and tenant members (seed 003 §6, extended with edition,
-- profile, regions, status, quotas and budget). tenant_id leads every key of tenant-owned rows.

CREATE TABLE tenants (
  tenant_id                  VARCHAR(63)   NOT NULL PRIMARY KEY,
  name                       VARCHAR(200)  NOT NULL,
  edition                    VARCHAR(32)   NOT NULL,
  profile                    VARCHAR(100)  NOT NULL,
  home_region                VARCHAR(32)   NOT NULL,
  -- Regions the tenant may use, comma-separated upper-case codes (e.g. 'US,EU').
  regions                    VARCHAR(400)  NOT NULL,
  status                     VARCHAR(16)   NOT NULL,
  max_concurrent_runs        INT           NOT NULL,
  max_steps_per_minute       INT           NOT NULL,
  max_receipt_backlog        INT           NOT NULL,
  daily_budget_usd           NUMERIC(12,2) NOT NULL,
  -- The tenant's file partition: every file the platform keeps for it lives under this prefix.
  storage_prefix             VARCHAR(200)  NOT NULL,
  version                    BIGINT        NOT NULL,
  created_by                 VARCHAR(200)  NOT NULL,
  created_at                 TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at                 TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT tenants_status CHECK (status IN ('active', 'suspended')),
  CONSTRAINT tenants_quotas CHECK (max_concurrent_runs >= 0 AND max_steps_per_minute >= 0
                                   AND max_receipt_backlog >= 0 AND daily_budget_usd >= 0)
);

-- The roles Maestro defines. Platform roles come only from tokens; tenant roles may also be
-- granted to a tenant's members here.
CREATE TABLE roles (
  role        VARCHAR(63)  NOT NULL PRIMARY KEY,
  scope       VARCHAR(16)  NOT NULL,
  description VARCHAR(400) NOT NULL,
  CONSTRAINT roles_scope CHECK (scope IN ('platform', 'tenant'))
);
INSERT INTO roles (role, scope, description) VALUES
  ('conductor_admin', 'platform', 'Operates the platform: provisions tenants, assigns profiles.'),
  ('support', 'platform', 'Reads across tenants where the edition allows it, cancels runs.'),
  ('tenant_admin', 'tenant', 'Administers one tenant: members, quotas within limits, workflows.'),
  ('workflow_author', 'tenant', 'Writes workflows.'),
  ('workflow_reviewer', 'tenant', 'Reviews, approves and publishes workflows.'),
  ('operator', 'tenant', 'Runs, cancels and retries workflows.'),
  ('read_only', 'tenant', 'Reads everything of the tenant, changes nothing.');

CREATE TABLE tenant_members (
  tenant_id VARCHAR(63)  NOT NULL,
  subject   VARCHAR(200) NOT NULL,
  role      VARCHAR(63)  NOT NULL,
  added_by  VARCHAR(200) NOT NULL,
  added_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, subject),
  CONSTRAINT tenant_members_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id),
  CONSTRAINT tenant_members_role FOREIGN KEY (role) REFERENCES roles (role)
);
