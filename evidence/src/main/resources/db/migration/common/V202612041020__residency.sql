-- Residency auditor (evidence module). Only the evidence module reads or writes these tables.
--
-- residency_tags: the region tags found on artifacts that do not change once written, indexed
-- once so that an audit re-reads only what is new: kind 'export' (a stored disclosure pack: its
-- requested region and every file region of its manifest; ref is the export id) and kind
-- 'receipt' (a receipt whose payload names a region; ref is the receipt id). A scanned artifact
-- without any region is kept as one row with region '' so it is not read again.
CREATE TABLE residency_tags (
  tenant_id VARCHAR(63)  NOT NULL,
  kind      VARCHAR(16)  NOT NULL,
  ref       VARCHAR(64)  NOT NULL,
  region    VARCHAR(32)  NOT NULL,
  subject   VARCHAR(200) NOT NULL,
  PRIMARY KEY (tenant_id, kind, ref, region)
);

-- How far the auditor has read each tenant's receipt log (the last sequence number indexed).
CREATE TABLE residency_cursors (
  tenant_id      VARCHAR(63) NOT NULL,
  receipts_after BIGINT      NOT NULL,
  PRIMARY KEY (tenant_id)
);

-- One row per violation: an artifact (kind, ref) tagged with a region outside the tenant's
-- allowed regions. An audit that finds it again only moves last_seen; one that no longer finds
-- it sets resolved_at; if it comes back the row is reopened with a new receipt.
CREATE TABLE residency_findings (
  tenant_id   VARCHAR(63)   NOT NULL,
  kind        VARCHAR(16)   NOT NULL,
  ref         VARCHAR(64)   NOT NULL,
  region      VARCHAR(32)   NOT NULL,
  subject     VARCHAR(200)  NOT NULL,
  detail      VARCHAR(2000) NOT NULL,
  receipt_id  VARCHAR(64)   NOT NULL,
  first_seen  TIMESTAMP WITH TIME ZONE NOT NULL,
  last_seen   TIMESTAMP WITH TIME ZONE NOT NULL,
  resolved_at TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (tenant_id, kind, ref, region)
);
