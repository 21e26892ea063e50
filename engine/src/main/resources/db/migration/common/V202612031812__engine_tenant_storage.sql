-- Bytes of step output per tenant, maintained as each step's output is stored (ADR 0017), so the
-- storage quota no longer sums engine_runs.output_bytes over all of a tenant's runs at every step
-- completion. Split into shards (by run) so concurrent step completions rarely wait for each
-- other's row; the tenant's total is the sum of its (at most 16) shard rows.
CREATE TABLE engine_tenant_storage (
  tenant_id    VARCHAR(63) NOT NULL,
  shard        INT NOT NULL,
  output_bytes BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, shard)
);
INSERT INTO engine_tenant_storage (tenant_id, shard, output_bytes)
  SELECT tenant_id, 0, SUM(output_bytes) FROM engine_runs GROUP BY tenant_id;
