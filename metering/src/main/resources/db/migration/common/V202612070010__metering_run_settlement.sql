-- What a run has cost so far, beside the estimate it was admitted with: its total and its overhead
-- (everything but step time), kept up to date as its costs are recorded, and settled once when it
-- ends. The estimator reads the overhead of a version's latest ended runs from here instead of
-- summing their events. Rows from before hold NULL: such a run is summed from its events when it
-- ends.
ALTER TABLE metering_run_estimates ADD COLUMN actual_usd NUMERIC(24, 9);
ALTER TABLE metering_run_estimates ADD COLUMN overhead_usd NUMERIC(24, 9);
ALTER TABLE metering_run_estimates ADD COLUMN settled_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX metering_run_estimates_settled
  ON metering_run_estimates (tenant_id, workflow, version, settled_at);
