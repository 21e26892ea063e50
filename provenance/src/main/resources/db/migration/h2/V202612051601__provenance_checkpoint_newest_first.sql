-- The latest checkpoint of a log is read on every receipt page, proof and usage check
-- (ORDER BY tenant_id DESC, size DESC LIMIT 1). H2 reads an index in order only in the index's own
-- direction, so without this it sorts every checkpoint of the tenant each time; PostgreSQL scans
-- the primary key backwards and needs none.
CREATE INDEX provenance_checkpoint_newest ON provenance_checkpoint (tenant_id DESC, size DESC);
