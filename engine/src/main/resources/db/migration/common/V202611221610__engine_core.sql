-- Engine tables, written once for both databases: ${json} is jsonb on PostgreSQL and text on H2, and
-- lines starting ${postgresql_only} run on PostgreSQL alone (row-level security by tenant).
-- Every table is tenant-owned: tenant_id leads every key.

CREATE TABLE engine_workflows (
  tenant_id      VARCHAR(63)  NOT NULL,
  name           VARCHAR(100) NOT NULL,
  active_version VARCHAR(64),
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, name)
);

CREATE TABLE engine_workflow_versions (
  tenant_id     VARCHAR(63)  NOT NULL,
  name          VARCHAR(100) NOT NULL,
  version       VARCHAR(64)  NOT NULL,
  status        VARCHAR(16)  NOT NULL,
  source_text   TEXT         NOT NULL,
  manifest      ${json}      NOT NULL,
  digest        VARCHAR(80)  NOT NULL,
  created_by    VARCHAR(200) NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  published_by  VARCHAR(200),
  published_at  TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (tenant_id, name, version)
);

CREATE TABLE engine_runs (
  tenant_id       VARCHAR(63)  NOT NULL,
  run_id          VARCHAR(40)  NOT NULL,
  workflow        VARCHAR(100) NOT NULL,
  version         VARCHAR(64)  NOT NULL,
  digest          VARCHAR(80)  NOT NULL,
  status          VARCHAR(16)  NOT NULL,
  inputs          ${json}      NOT NULL,
  error           VARCHAR(4000),
  started_by      VARCHAR(200) NOT NULL,
  decision_id     VARCHAR(100) NOT NULL,
  idempotency_key VARCHAR(200),
  request_digest  VARCHAR(80),
  parent_run_id   VARCHAR(40),
  parent_step_id  VARCHAR(63),
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  started_at      TIMESTAMP WITH TIME ZONE,
  finished_at     TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (tenant_id, run_id),
  CONSTRAINT engine_runs_idempotency UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX engine_runs_status ON engine_runs (tenant_id, status, run_id);
CREATE INDEX engine_runs_workflow ON engine_runs (tenant_id, workflow, run_id);

CREATE TABLE engine_steps (
  tenant_id    VARCHAR(63) NOT NULL,
  run_id       VARCHAR(40) NOT NULL,
  step_id      VARCHAR(63) NOT NULL,
  position     INT         NOT NULL,
  uses         VARCHAR(100) NOT NULL,
  status       VARCHAR(16) NOT NULL,
  attempt      INT         NOT NULL,
  deliveries   INT         NOT NULL,
  duplicates   INT         NOT NULL,
  wait_state   ${json},
  outputs      ${json},
  error        VARCHAR(4000),
  error_kind   VARCHAR(16),
  ready_at     TIMESTAMP WITH TIME ZONE,
  started_at   TIMESTAMP WITH TIME ZONE,
  finished_at  TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (tenant_id, run_id, step_id)
);

-- The durable queue. Each row is work due at due_at: execute a step attempt, resume a waiting
-- step, or time one out. Timers (waits, retry backoff, timeouts) are rows here, not sleeping
-- threads. A worker leases a row (lease_owner, lease_until) and deletes it in the transaction
-- that records the outcome; a lease that expires makes the row claimable again.
CREATE TABLE engine_work (
  tenant_id   VARCHAR(63) NOT NULL,
  work_id     VARCHAR(40) NOT NULL,
  run_id      VARCHAR(40) NOT NULL,
  step_id     VARCHAR(63) NOT NULL,
  kind        VARCHAR(16) NOT NULL,
  attempt     INT         NOT NULL,
  due_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  lease_owner VARCHAR(100),
  lease_until TIMESTAMP WITH TIME ZONE,
  claims      INT         NOT NULL,
  PRIMARY KEY (tenant_id, work_id)
);
CREATE INDEX engine_work_due ON engine_work (due_at);
CREATE INDEX engine_work_tenant_due ON engine_work (tenant_id, due_at);
CREATE INDEX engine_work_step ON engine_work (tenant_id, run_id, step_id);

CREATE TABLE engine_approvals (
  tenant_id   VARCHAR(63)  NOT NULL,
  run_id      VARCHAR(40)  NOT NULL,
  step_id     VARCHAR(63)  NOT NULL,
  attempt     INT          NOT NULL,
  approver    VARCHAR(200) NOT NULL,
  verdict     VARCHAR(16)  NOT NULL,
  comment     VARCHAR(2000),
  decision_id VARCHAR(100) NOT NULL,
  decided_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, run_id, step_id, attempt, approver)
);

CREATE TABLE engine_run_logs (
  tenant_id VARCHAR(63) NOT NULL,
  seq       BIGINT GENERATED ALWAYS AS IDENTITY,
  run_id    VARCHAR(40) NOT NULL,
  step_id   VARCHAR(63),
  at        TIMESTAMP WITH TIME ZONE NOT NULL,
  stream    VARCHAR(16) NOT NULL,
  message   VARCHAR(8000) NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX engine_run_logs_run ON engine_run_logs (tenant_id, run_id, seq);
${postgresql_only}ALTER TABLE engine_workflows ENABLE ROW LEVEL SECURITY;
${postgresql_only}ALTER TABLE engine_workflows FORCE ROW LEVEL SECURITY;
${postgresql_only}CREATE POLICY engine_workflows_tenant ON engine_workflows USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
${postgresql_only}ALTER TABLE engine_workflow_versions ENABLE ROW LEVEL SECURITY;
${postgresql_only}ALTER TABLE engine_workflow_versions FORCE ROW LEVEL SECURITY;
${postgresql_only}CREATE POLICY engine_workflow_versions_tenant ON engine_workflow_versions USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
${postgresql_only}ALTER TABLE engine_runs ENABLE ROW LEVEL SECURITY;
${postgresql_only}ALTER TABLE engine_runs FORCE ROW LEVEL SECURITY;
${postgresql_only}CREATE POLICY engine_runs_tenant ON engine_runs USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
${postgresql_only}ALTER TABLE engine_steps ENABLE ROW LEVEL SECURITY;
${postgresql_only}ALTER TABLE engine_steps FORCE ROW LEVEL SECURITY;
${postgresql_only}CREATE POLICY engine_steps_tenant ON engine_steps USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
${postgresql_only}ALTER TABLE engine_work ENABLE ROW LEVEL SECURITY;
${postgresql_only}ALTER TABLE engine_work FORCE ROW LEVEL SECURITY;
${postgresql_only}CREATE POLICY engine_work_tenant ON engine_work USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
${postgresql_only}ALTER TABLE engine_approvals ENABLE ROW LEVEL SECURITY;
${postgresql_only}ALTER TABLE engine_approvals FORCE ROW LEVEL SECURITY;
${postgresql_only}CREATE POLICY engine_approvals_tenant ON engine_approvals USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
${postgresql_only}ALTER TABLE engine_run_logs ENABLE ROW LEVEL SECURITY;
${postgresql_only}ALTER TABLE engine_run_logs FORCE ROW LEVEL SECURITY;
${postgresql_only}CREATE POLICY engine_run_logs_tenant ON engine_run_logs USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
