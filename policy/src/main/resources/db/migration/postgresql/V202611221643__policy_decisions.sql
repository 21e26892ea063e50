-- The decision log: every policy decision with OPA's decision-log fields. Decisions about no
-- tenant (e.g. creating one) are kept under the tenant id '_platform'.
CREATE TABLE policy_decisions (
  tenant_id       VARCHAR(63)  NOT NULL,
  decision_id     VARCHAR(64)  NOT NULL,
  decided_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  path            VARCHAR(200) NOT NULL,
  allowed         BOOLEAN      NOT NULL,
  result          JSONB        NOT NULL,
  input           JSONB,
  input_digest    VARCHAR(80)  NOT NULL,
  erased          JSONB        NOT NULL,
  masked          JSONB        NOT NULL,
  bundle_name     VARCHAR(200) NOT NULL,
  bundle_revision VARCHAR(200) NOT NULL,
  duration_ns     BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id, decision_id)
);

CREATE INDEX policy_decisions_time ON policy_decisions (tenant_id, decided_at);

-- A tenant-scoped transaction sees only its tenant's decisions; '_platform' ones need the
-- platform scope.
ALTER TABLE policy_decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE policy_decisions FORCE ROW LEVEL SECURITY;
CREATE POLICY policy_decisions_tenant ON policy_decisions USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
