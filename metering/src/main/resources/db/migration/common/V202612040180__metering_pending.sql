-- Metered amounts not yet folded into the rollups and spend counters. An action's transaction
-- inserts its events and one pending row per (minute, type, workflow, env) they add to; it updates
-- no row that other actions of the tenant also update, so actions never wait for each other here.
-- The folder (RollupFolder) moves batches of pending rows into the minute, hour and day rollups and
-- the spend counters in one short transaction and deletes them. Usage and spend are read as
-- rollups plus pending rows in one statement, so they are exact at every moment (ADR 0033).
-- Only the metering module reads or writes this table.
CREATE TABLE metering_pending (
  id         BIGINT GENERATED ALWAYS AS IDENTITY,
  tenant_id  VARCHAR(63)  NOT NULL,
  bucket     TIMESTAMP WITH TIME ZONE NOT NULL,
  event_type VARCHAR(40)  NOT NULL,
  workflow   VARCHAR(100) NOT NULL,
  env        VARCHAR(63)  NOT NULL,
  events     BIGINT       NOT NULL,
  quantity   BIGINT       NOT NULL,
  cost_usd   NUMERIC(24, 9) NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX metering_pending_bucket ON metering_pending (tenant_id, bucket);
