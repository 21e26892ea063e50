-- Evidence: one row per disclosure pack produced. Only the evidence module reads or writes this
-- table. The pack itself is a file in the tenant's partition of the evidence storage
-- (<dataDir>/evidence/tenants/<tenant>/packs/<sha256>.tar.gz); blob is its path under that prefix.
-- Every export is also an evidence.exported receipt in the tenant's log.
CREATE TABLE evidence_exports (
  tenant_id  VARCHAR(63)  NOT NULL,
  export_id  VARCHAR(64)  NOT NULL,
  run_id     VARCHAR(64)  NOT NULL,
  region     VARCHAR(32),
  withheld   VARCHAR(4000) NOT NULL,
  sha256     CHAR(64)     NOT NULL,
  size_bytes BIGINT       NOT NULL,
  blob       VARCHAR(200) NOT NULL,
  receipt_id VARCHAR(64)  NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, export_id)
);

CREATE INDEX evidence_exports_run ON evidence_exports (tenant_id, run_id);
