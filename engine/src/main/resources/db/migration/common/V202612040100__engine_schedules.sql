-- Schedules and webhook triggers (docs/schedules.md, ADR 0028). A run records what started it:
-- 'api' (POST /api/runs, child runs), 'schedule' or 'webhook'.
ALTER TABLE engine_runs ADD COLUMN run_trigger VARCHAR(16) DEFAULT 'api' NOT NULL;

-- A cron schedule of a workflow, declared in its manifest (source 'manifest') or through the API.
-- next_tick is the next tick not yet handled; the scheduler advances it in the transaction that
-- claims the tick.
CREATE TABLE engine_schedules (
  tenant_id        VARCHAR(63)  NOT NULL,
  schedule_id      VARCHAR(100) NOT NULL,
  workflow         VARCHAR(100) NOT NULL,
  version          VARCHAR(64),
  cron             VARCHAR(200) NOT NULL,
  time_zone        VARCHAR(64)  NOT NULL,
  overlap          VARCHAR(16)  NOT NULL,
  catch_up_seconds BIGINT       NOT NULL,
  jitter_seconds   BIGINT       NOT NULL,
  inputs           ${json}      NOT NULL,
  source           VARCHAR(16)  NOT NULL,
  paused           BOOLEAN      NOT NULL,
  next_tick        TIMESTAMP WITH TIME ZONE,
  created_by       VARCHAR(200) NOT NULL,
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, schedule_id)
);
CREATE INDEX engine_schedules_due ON engine_schedules (next_tick);

-- One row per handled tick: the primary key is the claim, so two scheduler processes on one
-- database cannot both fire the same tick.
CREATE TABLE engine_schedule_firings (
  tenant_id   VARCHAR(63)  NOT NULL,
  schedule_id VARCHAR(100) NOT NULL,
  tick        TIMESTAMP WITH TIME ZONE NOT NULL,
  handled_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  outcome     VARCHAR(16)  NOT NULL,
  run_id      VARCHAR(40),
  decision_id VARCHAR(100),
  detail      VARCHAR(1000),
  PRIMARY KEY (tenant_id, schedule_id, tick)
);
CREATE INDEX engine_schedule_firings_run ON engine_schedule_firings (tenant_id, run_id);

-- A workflow's webhook trigger: the Standard Webhooks secret that signs its requests.
CREATE TABLE engine_webhook_triggers (
  tenant_id  VARCHAR(63)  NOT NULL,
  workflow   VARCHAR(100) NOT NULL,
  secret     VARCHAR(200) NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, workflow)
);

-- Each accepted webhook-id, once: a replay of the same id is refused.
CREATE TABLE engine_webhook_deliveries (
  tenant_id   VARCHAR(63)  NOT NULL,
  workflow    VARCHAR(100) NOT NULL,
  webhook_id  VARCHAR(200) NOT NULL,
  received_at TIMESTAMP WITH TIME ZONE NOT NULL,
  run_id      VARCHAR(40),
  PRIMARY KEY (tenant_id, workflow, webhook_id)
);

${postgresql_only}ALTER TABLE engine_schedules ENABLE ROW LEVEL SECURITY;
${postgresql_only}ALTER TABLE engine_schedules FORCE ROW LEVEL SECURITY;
${postgresql_only}CREATE POLICY engine_schedules_tenant ON engine_schedules USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
${postgresql_only}ALTER TABLE engine_schedule_firings ENABLE ROW LEVEL SECURITY;
${postgresql_only}ALTER TABLE engine_schedule_firings FORCE ROW LEVEL SECURITY;
${postgresql_only}CREATE POLICY engine_schedule_firings_tenant ON engine_schedule_firings USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
${postgresql_only}ALTER TABLE engine_webhook_triggers ENABLE ROW LEVEL SECURITY;
${postgresql_only}ALTER TABLE engine_webhook_triggers FORCE ROW LEVEL SECURITY;
${postgresql_only}CREATE POLICY engine_webhook_triggers_tenant ON engine_webhook_triggers USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
${postgresql_only}ALTER TABLE engine_webhook_deliveries ENABLE ROW LEVEL SECURITY;
${postgresql_only}ALTER TABLE engine_webhook_deliveries FORCE ROW LEVEL SECURITY;
${postgresql_only}CREATE POLICY engine_webhook_deliveries_tenant ON engine_webhook_deliveries USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
