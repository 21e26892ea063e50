-- External workers (ADR 0024): an EXECUTE row of a step whose task is `worker/<queue>` names its
-- queue. The engine's own worker pools claim only rows without a queue; external workers claim
-- rows of the queues their token holds through POST /api/worker/poll, with the same lease columns.
ALTER TABLE engine_work ADD COLUMN queue VARCHAR(63);
CREATE INDEX engine_work_queue ON engine_work (tenant_id, queue, due_at);
