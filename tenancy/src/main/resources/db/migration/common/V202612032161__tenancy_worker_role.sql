-- External workers (ADR 0024): service tokens with the worker role poll and report on the tasks
-- of the queues named in their worker_queues attribute.
INSERT INTO roles (role, scope, description) VALUES
  ('worker', 'tenant', 'An external worker: polls and completes the tasks of its queues.');
