-- Metering: the metered events (the outbox, one row per metered action, written in the action's
-- transaction, each with its cost line) and the usage rollups maintained incrementally with them.
-- Only the metering module reads or writes these tables.

-- An event is unique per (tenant, type, idempotency key): the key is the receipt or step-attempt
-- id of the action, so a redelivered action cannot count twice. seq orders the outbox for readers.
-- workflow, version and run_id are '' for actions outside a workflow (workflow_type is then 'none').
-- The cost line (sku, price_book, cost_usd) is fixed when the event is written: a new price book
-- never changes history.
CREATE TABLE metering_events (
  seq             BIGINT GENERATED ALWAYS AS IDENTITY,
  tenant_id       VARCHAR(63)  NOT NULL,
  event_id        VARCHAR(40)  NOT NULL,
  event_type      VARCHAR(40)  NOT NULL,
  idempotency_key VARCHAR(200) NOT NULL,
  occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  env             VARCHAR(63)  NOT NULL,
  actor_type      VARCHAR(16)  NOT NULL,
  workflow_type   VARCHAR(32)  NOT NULL,
  workflow        VARCHAR(100) NOT NULL,
  version         VARCHAR(64)  NOT NULL,
  run_id          VARCHAR(40)  NOT NULL,
  subject         VARCHAR(200) NOT NULL,
  quantity        BIGINT       NOT NULL,
  unit            VARCHAR(32)  NOT NULL,
  resource_class  VARCHAR(32)  NOT NULL,
  sku             VARCHAR(32)  NOT NULL,
  price_book      VARCHAR(64)  NOT NULL,
  cost_usd        NUMERIC(24, 9) NOT NULL,
  PRIMARY KEY (tenant_id, seq),
  CONSTRAINT metering_events_idempotency UNIQUE (tenant_id, event_type, idempotency_key)
);
CREATE INDEX metering_events_time ON metering_events (tenant_id, occurred_at, seq);
CREATE INDEX metering_events_run ON metering_events (tenant_id, run_id);

-- Rollups: totals per bucket (the UTC minute, hour or day an event falls in) and dimensions. Each
-- event adds to one row of each level in its own transaction, so a summary over a long window
-- reads whole days, then hours and minutes at its edges, and never the raw events.
CREATE TABLE metering_usage_minute (
  tenant_id  VARCHAR(63)  NOT NULL,
  bucket     TIMESTAMP WITH TIME ZONE NOT NULL,
  event_type VARCHAR(40)  NOT NULL,
  workflow   VARCHAR(100) NOT NULL,
  env        VARCHAR(63)  NOT NULL,
  events     BIGINT       NOT NULL,
  quantity   BIGINT       NOT NULL,
  cost_usd   NUMERIC(24, 9) NOT NULL,
  PRIMARY KEY (tenant_id, bucket, event_type, workflow, env)
);

CREATE TABLE metering_usage_hour (
  tenant_id  VARCHAR(63)  NOT NULL,
  bucket     TIMESTAMP WITH TIME ZONE NOT NULL,
  event_type VARCHAR(40)  NOT NULL,
  workflow   VARCHAR(100) NOT NULL,
  env        VARCHAR(63)  NOT NULL,
  events     BIGINT       NOT NULL,
  quantity   BIGINT       NOT NULL,
  cost_usd   NUMERIC(24, 9) NOT NULL,
  PRIMARY KEY (tenant_id, bucket, event_type, workflow, env)
);

CREATE TABLE metering_usage_day (
  tenant_id  VARCHAR(63)  NOT NULL,
  bucket     TIMESTAMP WITH TIME ZONE NOT NULL,
  event_type VARCHAR(40)  NOT NULL,
  workflow   VARCHAR(100) NOT NULL,
  env        VARCHAR(63)  NOT NULL,
  events     BIGINT       NOT NULL,
  quantity   BIGINT       NOT NULL,
  cost_usd   NUMERIC(24, 9) NOT NULL,
  PRIMARY KEY (tenant_id, bucket, event_type, workflow, env)
);
