-- Budgets, the spend counters the budget check reads, the estimate stored with each admitted run,
-- and the budget alerts (billing events). Only the metering module reads or writes these tables.

-- A tenant's budget caps in USD; a null cap does not limit. A tenant without a row is capped daily
-- by its tenancy record's daily budget (the provisioning default) and not monthly.
CREATE TABLE metering_budgets (
  tenant_id       VARCHAR(63)    NOT NULL,
  daily_max_usd   NUMERIC(18, 6),
  monthly_max_usd NUMERIC(18, 6),
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_by      VARCHAR(200)   NOT NULL,
  PRIMARY KEY (tenant_id),
  CONSTRAINT metering_budgets_positive CHECK ((daily_max_usd IS NULL OR daily_max_usd >= 0)
                                              AND (monthly_max_usd IS NULL OR monthly_max_usd >= 0))
);

-- Spend per UTC day ('day') and UTC month ('month'), incremented with every priced event in the
-- event's own transaction, so the budget check reads two rows instead of summing events.
CREATE TABLE metering_spend (
  tenant_id VARCHAR(63)    NOT NULL,
  period    VARCHAR(8)     NOT NULL,
  bucket    TIMESTAMP WITH TIME ZONE NOT NULL,
  cost_usd  NUMERIC(24, 9) NOT NULL,
  PRIMARY KEY (tenant_id, period, bucket)
);

-- The cost estimate a run was admitted with, to compare with what it actually cost.
CREATE TABLE metering_run_estimates (
  tenant_id     VARCHAR(63)    NOT NULL,
  run_id        VARCHAR(40)    NOT NULL,
  workflow      VARCHAR(100)   NOT NULL,
  version       VARCHAR(64)    NOT NULL,
  decision_id   VARCHAR(64)    NOT NULL,
  estimated_usd NUMERIC(24, 9) NOT NULL,
  basis         VARCHAR(16)    NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, run_id)
);

-- One budget warning per tenant, period and bucket (the first admission that crossed the threshold).
CREATE TABLE metering_budget_alerts (
  tenant_id     VARCHAR(63)    NOT NULL,
  period        VARCHAR(8)     NOT NULL,
  bucket        TIMESTAMP WITH TIME ZONE NOT NULL,
  decision_id   VARCHAR(64)    NOT NULL,
  spent_usd     NUMERIC(24, 9) NOT NULL,
  estimated_usd NUMERIC(24, 9) NOT NULL,
  limit_usd     NUMERIC(18, 6) NOT NULL,
  occurred_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, period, bucket)
);

-- The estimator's history: the latest step and run events of one workflow version.
CREATE INDEX metering_events_version ON metering_events (tenant_id, workflow, version, event_type, seq);
