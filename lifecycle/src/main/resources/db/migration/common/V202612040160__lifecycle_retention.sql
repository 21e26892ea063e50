-- Lifecycle: per-tenant retention rules, legal holds and the receipts of the retention job. Only the
-- lifecycle module reads or writes these tables; every change is also a receipt in the tenant's log.

-- How long a tenant keeps one class of data (runs, run_logs, metering_events, receipt_payloads,
-- decision_inputs). No row: the class is kept for good.
CREATE TABLE lifecycle_retention_rules (
  tenant_id      VARCHAR(63)  NOT NULL,
  data_class     VARCHAR(32)  NOT NULL,
  keep_days      INT          NOT NULL,
  set_by         VARCHAR(200) NOT NULL,
  decision_id    VARCHAR(100) NOT NULL,
  policy_version VARCHAR(200) NOT NULL,
  set_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, data_class)
);

-- A legal hold: while one is active (released_at NULL) nothing of the tenant is deleted, neither by
-- the retention job nor by a purge.
CREATE TABLE lifecycle_legal_holds (
  tenant_id      VARCHAR(63)   NOT NULL,
  id             VARCHAR(40)   NOT NULL,
  reason         VARCHAR(1000) NOT NULL,
  placed_by      VARCHAR(200)  NOT NULL,
  placed_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  released_by    VARCHAR(200),
  released_at    TIMESTAMP WITH TIME ZONE,
  release_reason VARCHAR(1000),
  PRIMARY KEY (tenant_id, id)
);

-- One batch the retention job deleted: its class, cut-off, count, the Merkle root over the deleted
-- items' digests and the receipt that records it (the receipt's payload lists the items). Never
-- deleted.
CREATE TABLE lifecycle_retention_batches (
  tenant_id   VARCHAR(63) NOT NULL,
  id          VARCHAR(40) NOT NULL,
  data_class  VARCHAR(32) NOT NULL,
  cutoff      TIMESTAMP WITH TIME ZONE NOT NULL,
  item_count  INT         NOT NULL,
  merkle_root VARCHAR(80) NOT NULL,
  counts      VARCHAR(2000) NOT NULL,
  receipt_id  VARCHAR(64) NOT NULL,
  ran_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX lifecycle_retention_batches_time ON lifecycle_retention_batches (tenant_id, ran_at);
