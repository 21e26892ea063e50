-- Throttles: a tenant's new starts held to a concurrency limit while active (the rollback
-- controller applies one when the policy chooses it for a breach; people lift it). Only the
-- governance module reads or writes this table; applying and lifting are receipts.
CREATE TABLE governance_throttles (
  id                  VARCHAR(40)  NOT NULL,
  tenant_id           VARCHAR(63)  NOT NULL,
  max_concurrent_runs INT          NOT NULL,
  reason              VARCHAR(500) NOT NULL,
  incident_id         VARCHAR(40),
  applied_by          VARCHAR(200) NOT NULL,
  applied_at          TIMESTAMP WITH TIME ZONE NOT NULL,
  released_at         TIMESTAMP WITH TIME ZONE,
  released_by         VARCHAR(200),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX governance_throttles_active ON governance_throttles (tenant_id, released_at);
