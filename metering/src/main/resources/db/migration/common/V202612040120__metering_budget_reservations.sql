-- Budget reservations (ADR 0030): a run admitted under a budget holds its estimate until it ends,
-- so concurrent starts cannot together overshoot a cap. Only the metering module reads or writes
-- these tables.

-- One reservation per admitted run: its estimate, the day and month counters it is held in, and
-- what it still holds (the estimate minus what the run has cost so far, never below zero). Released
-- (held = 0, released_at set) when the run ends.
CREATE TABLE metering_reservations (
  tenant_id     VARCHAR(63)    NOT NULL,
  run_id        VARCHAR(40)    NOT NULL,
  decision_id   VARCHAR(64)    NOT NULL,
  day_bucket    TIMESTAMP WITH TIME ZONE NOT NULL,
  month_bucket  TIMESTAMP WITH TIME ZONE NOT NULL,
  estimated_usd NUMERIC(24, 9) NOT NULL,
  held_usd      NUMERIC(24, 9) NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  released_at   TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (tenant_id, run_id),
  CONSTRAINT metering_reservations_held CHECK (held_usd >= 0)
);
-- What the open reservations of a tenant's day or month hold is summed over this index: only the
-- runs still running are open (released_at IS NULL).
CREATE INDEX metering_reservations_open_day ON metering_reservations (tenant_id, released_at, day_bucket);
CREATE INDEX metering_reservations_open_month ON metering_reservations (tenant_id, released_at, month_bucket);
