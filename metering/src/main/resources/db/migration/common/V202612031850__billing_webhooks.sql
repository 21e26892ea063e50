-- Billing webhooks: a tenant's endpoints, the deliveries of metered events to them, and every
-- delivery attempt. Only the metering module reads or writes these tables.

-- An endpoint: where to deliver, which event types, and its signing secrets. During a rotation
-- the previous secret stays valid (and signs too) until previous_until. after_seq is the outbox
-- position (metering_events.seq) up to which events were fanned out into deliveries.
CREATE TABLE billing_webhook_endpoints (
  tenant_id       VARCHAR(63)   NOT NULL,
  endpoint_id     VARCHAR(40)   NOT NULL,
  url             VARCHAR(2048) NOT NULL,
  event_types     VARCHAR(400)  NOT NULL,
  secret          VARCHAR(100)  NOT NULL,
  previous_secret VARCHAR(100),
  previous_until  TIMESTAMP WITH TIME ZONE,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  after_seq       BIGINT        NOT NULL,
  PRIMARY KEY (tenant_id, endpoint_id)
);

-- A delivery: one event to one endpoint (delivery_id is the webhook-id header, the same on every
-- attempt). status: pending (next_attempt_at says when), delivered, or dead (dead-lettered after
-- the last attempt failed); attempts counts every attempt, attempts_left those before the dead
-- letter. A replay makes a delivery pending again with a fresh allowance of attempts.
CREATE TABLE billing_webhook_deliveries (
  tenant_id       VARCHAR(63)  NOT NULL,
  delivery_id     VARCHAR(40)  NOT NULL,
  endpoint_id     VARCHAR(40)  NOT NULL,
  event_id        VARCHAR(40)  NOT NULL,
  event_type      VARCHAR(40)  NOT NULL,
  payload         VARCHAR(65536) NOT NULL,
  status          VARCHAR(16)  NOT NULL,
  attempts        INT          NOT NULL,
  attempts_left   INT          NOT NULL,
  next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, delivery_id),
  CONSTRAINT billing_webhook_deliveries_once UNIQUE (tenant_id, endpoint_id, event_id)
);
CREATE INDEX billing_webhook_deliveries_due ON billing_webhook_deliveries (status, next_attempt_at);

-- Every attempt, with its receipt: outcome is delivered (2xx), failed (another status, a refused
-- address or a network error) or timeout.
CREATE TABLE billing_webhook_attempts (
  tenant_id    VARCHAR(63)  NOT NULL,
  delivery_id  VARCHAR(40)  NOT NULL,
  attempt      INT          NOT NULL,
  attempted_at TIMESTAMP WITH TIME ZONE NOT NULL,
  outcome      VARCHAR(16)  NOT NULL,
  http_status  INT,
  error        VARCHAR(400),
  duration_ms  BIGINT       NOT NULL,
  receipt_id   VARCHAR(100) NOT NULL,
  PRIMARY KEY (tenant_id, delivery_id, attempt)
);
