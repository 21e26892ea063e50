-- The decision log: every policy decision with OPA's decision-log fields. Decisions about no
-- tenant (e.g. creating one) are kept under the tenant id '_platform'.
CREATE TABLE policy_decisions (
  tenant_id       VARCHAR(63)  NOT NULL,
  decision_id     VARCHAR(64)  NOT NULL,
  decided_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  path            VARCHAR(200) NOT NULL,
  allowed         BOOLEAN      NOT NULL,
  result          TEXT         NOT NULL,
  input           TEXT,
  input_digest    VARCHAR(80)  NOT NULL,
  erased          TEXT         NOT NULL,
  masked          TEXT         NOT NULL,
  bundle_name     VARCHAR(200) NOT NULL,
  bundle_revision VARCHAR(200) NOT NULL,
  duration_ns     BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id, decision_id)
);

CREATE INDEX policy_decisions_time ON policy_decisions (tenant_id, decided_at);
