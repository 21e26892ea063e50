-- Lifecycle: dual-control purges and their signed manifests. Only the lifecycle module reads or
-- writes these tables; every change is also a receipt in the tenant's log.

-- One purge request. state: awaiting_approval -> scheduled (enough distinct approvers; runs at
-- execute_after) -> executed; or cancelled before it runs. before_at NULL means "everything"
-- (scope tenant, the offboarding purge).
CREATE TABLE lifecycle_purges (
  tenant_id          VARCHAR(63)  NOT NULL,
  id                 VARCHAR(40)  NOT NULL,
  scope              VARCHAR(32)  NOT NULL,
  before_at          TIMESTAMP WITH TIME ZONE,
  reason             VARCHAR(1000) NOT NULL,
  requested_by       VARCHAR(200) NOT NULL,
  request_decision   VARCHAR(100) NOT NULL,
  approvals_required INT          NOT NULL,
  delay_seconds      BIGINT       NOT NULL,
  state              VARCHAR(24)  NOT NULL,
  created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  execute_after      TIMESTAMP WITH TIME ZONE,
  executed_at        TIMESTAMP WITH TIME ZONE,
  cancelled_by       VARCHAR(200),
  cancelled_at       TIMESTAMP WITH TIME ZONE,
  manifest_digest    VARCHAR(80),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX lifecycle_purges_due ON lifecycle_purges (state, execute_after);

-- Each distinct approval of a purge, with the decision that allowed it.
CREATE TABLE lifecycle_purge_approvals (
  tenant_id   VARCHAR(63)  NOT NULL,
  purge_id    VARCHAR(40)  NOT NULL,
  approver    VARCHAR(200) NOT NULL,
  decision_id VARCHAR(100) NOT NULL,
  approved_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, purge_id, approver)
);

-- The signed manifest of an executed purge (a DSSE envelope), kept in the tenant's partition.
CREATE TABLE lifecycle_purge_manifests (
  tenant_id VARCHAR(63) NOT NULL,
  purge_id  VARCHAR(40) NOT NULL,
  digest    VARCHAR(80) NOT NULL,
  envelope  TEXT        NOT NULL,
  PRIMARY KEY (tenant_id, purge_id)
);
