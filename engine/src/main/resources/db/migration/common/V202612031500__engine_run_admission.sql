-- The admission decision of a run, as the decision point returned it (Decision.toJson), stored
-- with the run so explaining an admission needs neither the receipt log nor the decision log.
-- NULL for runs the platform starts on its own and for runs created before this column existed.
-- Text on both databases: it is written and read whole, never queried into.
ALTER TABLE engine_runs ADD COLUMN admission TEXT;
