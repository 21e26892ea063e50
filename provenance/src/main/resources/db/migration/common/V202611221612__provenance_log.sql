-- Provenance: per-log receipts (a hash chain and an RFC 9162 Merkle tree), stored Merkle nodes and
-- signed checkpoints. A "log" is a tenant (tenant_id = the tenant id) or the platform
-- (tenant_id = '_platform', which no tenant id can equal).

-- One head row per log. Appends lock it (SELECT ... FOR UPDATE), which serializes appends per log
-- so seq has no gaps; it holds the compact range ("frontier") so appending hashes O(log n).
CREATE TABLE provenance_log (
  tenant_id   VARCHAR(63) NOT NULL PRIMARY KEY,
  size        BIGINT NOT NULL,
  head_digest BYTEA NOT NULL,
  frontier    BYTEA NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- body is the canonical (RFC 8785) JSON the digest is computed over; payload is kept apart so it
-- can be purged without breaking the chain (payload_digest inside body still binds it).
CREATE TABLE provenance_receipt (
  tenant_id   VARCHAR(63) NOT NULL,
  seq         BIGINT NOT NULL,
  receipt_id  VARCHAR(64) NOT NULL,
  type        VARCHAR(100) NOT NULL,
  occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
  digest      BYTEA NOT NULL,
  body        VARCHAR NOT NULL,
  payload     VARCHAR,
  PRIMARY KEY (tenant_id, seq)
);
CREATE UNIQUE INDEX provenance_receipt_id ON provenance_receipt (tenant_id, receipt_id);
CREATE INDEX provenance_receipt_type ON provenance_receipt (tenant_id, type, seq);
CREATE INDEX provenance_receipt_time ON provenance_receipt (tenant_id, occurred_at);

-- Roots of complete perfect subtrees of height >= 8, so a proof reads O(log n) rows instead of
-- every leaf of the subtrees it needs.
CREATE TABLE provenance_node (
  tenant_id VARCHAR(63) NOT NULL,
  level     INT NOT NULL,
  idx       BIGINT NOT NULL,
  hash      BYTEA NOT NULL,
  PRIMARY KEY (tenant_id, level, idx)
);

CREATE TABLE provenance_checkpoint (
  tenant_id VARCHAR(63) NOT NULL,
  size      BIGINT NOT NULL,
  root      BYTEA NOT NULL,
  issued_at TIMESTAMP WITH TIME ZONE NOT NULL,
  key_id    VARCHAR(200) NOT NULL,
  note      VARCHAR(4000) NOT NULL,
  PRIMARY KEY (tenant_id, size)
);
