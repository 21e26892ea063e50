-- Optional tracing (ADR 0045): a queue row keeps the W3C trace context (`traceparent`, 55
-- characters) of the span that enqueued it, so the step attempt that claims it later, on any
-- server, continues the trace of the request or attempt that made the work. NULL with tracing off.
ALTER TABLE engine_work ADD COLUMN trace_parent VARCHAR(64);
