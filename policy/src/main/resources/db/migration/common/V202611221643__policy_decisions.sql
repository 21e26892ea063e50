-- The decision log: every policy decision with OPA's decision-log fields. Decisions about no
-- tenant (e.g. creating one) are kept under the tenant id '_platform'.
-- Written once for both databases: ${json} is jsonb on PostgreSQL and text on H2, and lines
-- starting ${postgresql_only} run on PostgreSQL alone (row-level security by tenant).
CREATE TABLE policy_decisions (
  tenant_id       VARCHAR(63)  NOT NULL,
  decision_id     VARCHAR(64)  NOT NULL,
  decided_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  path            VARCHAR(200) NOT NULL,
  allowed         BOOLEAN      NOT NULL,
  result          ${json}      NOT NULL,
  input           ${json},
  input_digest    VARCHAR(80)  NOT NULL,
  erased          ${json}      NOT NULL,
  masked          ${json}      NOT NULL,
  bundle_name     VARCHAR(200) NOT NULL,
  bundle_revision VARCHAR(200) NOT NULL,
  duration_ns     BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id, decision_id)
);

CREATE INDEX policy_decisions_time ON policy_decisions (tenant_id, decided_at);

-- A tenant-scoped transaction sees only its tenant's decisions; '_platform' ones need the
-- platform scope.
${postgresql_only}ALTER TABLE policy_decisions ENABLE ROW LEVEL SECURITY;
${postgresql_only}ALTER TABLE policy_decisions FORCE ROW LEVEL SECURITY;
${postgresql_only}CREATE POLICY policy_decisions_tenant ON policy_decisions USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
