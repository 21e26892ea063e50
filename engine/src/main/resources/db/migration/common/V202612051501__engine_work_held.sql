-- A paused run's queue rows are held: claims skip them until the run resumes (ADR 0041). A
-- column rather than a join on the run's status keeps the claim a single-table scan.
ALTER TABLE engine_work ADD COLUMN held BOOLEAN DEFAULT FALSE NOT NULL;
