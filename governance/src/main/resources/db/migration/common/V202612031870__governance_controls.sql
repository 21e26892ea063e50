-- Governance: ramps, kill switches, freeze windows and break-glass grants. Only the governance
-- module reads or writes these tables. Every change is also a receipt in the tenant's log (the
-- platform's log for global kill switches); these rows are the current state and its history.

-- A ramp admits the given percentage of a tenant's starts of one workflow (version '' = every
-- version; a version names the canary). step counts the changes to the rule, so a run's admission
-- can say which step of the ramp admitted it.
CREATE TABLE governance_ramps (
  tenant_id  VARCHAR(63)  NOT NULL,
  workflow   VARCHAR(100) NOT NULL,
  version    VARCHAR(64)  NOT NULL,
  action     VARCHAR(64)  NOT NULL,
  percent    NUMERIC(5, 2) NOT NULL,
  step       INT          NOT NULL,
  updated_by VARCHAR(200) NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, workflow, version, action)
);

-- One row per ramp change: before/after as a JSON diff, the decision and the receipt.
CREATE TABLE governance_ramp_history (
  tenant_id   VARCHAR(63)  NOT NULL,
  seq         BIGINT GENERATED ALWAYS AS IDENTITY,
  workflow    VARCHAR(100) NOT NULL,
  version     VARCHAR(64)  NOT NULL,
  action      VARCHAR(64)  NOT NULL,
  step        INT          NOT NULL,
  diff        VARCHAR(4000) NOT NULL,
  changed_by  VARCHAR(200) NOT NULL,
  changed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  decision_id VARCHAR(64)  NOT NULL,
  receipt_id  VARCHAR(100) NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);

-- Kill switches. tenant_id '*' is a global switch (platform actors only). scope is global,
-- tenant, workflow, version or task_type; target names the workflow or task type.
CREATE TABLE governance_kill_switches (
  id          VARCHAR(40)  NOT NULL,
  tenant_id   VARCHAR(63)  NOT NULL,
  scope       VARCHAR(16)  NOT NULL,
  target      VARCHAR(100) NOT NULL,
  version     VARCHAR(64)  NOT NULL,
  mode        VARCHAR(16)  NOT NULL,
  reason      VARCHAR(500) NOT NULL,
  pulled_by   VARCHAR(200) NOT NULL,
  pulled_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  released_by VARCHAR(200),
  released_at TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (id)
);
CREATE INDEX governance_kill_switches_tenant ON governance_kill_switches (tenant_id, released_at);

-- Freeze windows: once (starts_at..ends_at) or weekly (weekly_from..weekly_to as "FRI 16:00" in
-- zone). removed_at marks a window taken off the calendar.
CREATE TABLE governance_freezes (
  tenant_id   VARCHAR(63)  NOT NULL,
  id          VARCHAR(40)  NOT NULL,
  kind        VARCHAR(16)  NOT NULL,
  starts_at   TIMESTAMP WITH TIME ZONE,
  ends_at     TIMESTAMP WITH TIME ZONE,
  weekly_from VARCHAR(16)  NOT NULL,
  weekly_to   VARCHAR(16)  NOT NULL,
  zone        VARCHAR(64)  NOT NULL,
  reason      VARCHAR(500) NOT NULL,
  created_by  VARCHAR(200) NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  removed_at  TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (tenant_id, id)
);

-- Break-glass grants: time-boxed, with a reason, the actions they let through a freeze, and the
-- second approver when one is required.
CREATE TABLE governance_break_glass (
  tenant_id   VARCHAR(63)  NOT NULL,
  id          VARCHAR(40)  NOT NULL,
  reason      VARCHAR(500) NOT NULL,
  actions     VARCHAR(1000) NOT NULL,
  needs_approval BOOLEAN   NOT NULL,
  opened_by   VARCHAR(200) NOT NULL,
  opened_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  approved_by VARCHAR(200),
  approved_at TIMESTAMP WITH TIME ZONE,
  closed_by   VARCHAR(200),
  closed_at   TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (tenant_id, id)
);

-- What was done under each grant, for post-hoc review.
CREATE TABLE governance_break_glass_uses (
  tenant_id   VARCHAR(63)  NOT NULL,
  seq         BIGINT GENERATED ALWAYS AS IDENTITY,
  grant_id    VARCHAR(40)  NOT NULL,
  action      VARCHAR(64)  NOT NULL,
  actor       VARCHAR(200) NOT NULL,
  decision_id VARCHAR(64)  NOT NULL,
  used_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);
