-- Lifecycle: support impersonation sessions. Only the lifecycle module reads or writes this table;
-- every change is also a receipt in the tenant's log.

-- One session: a support engineer (requested_by, authenticated by requester_via) acts as a tenant
-- member (subject, with the member's role) for at most minutes. state: pending_approval -> active
-- (approved, or at once where the profile needs no approval) -> stopped | expired.
CREATE TABLE lifecycle_impersonations (
  tenant_id        VARCHAR(63)   NOT NULL,
  id               VARCHAR(40)   NOT NULL,
  requested_by     VARCHAR(200)  NOT NULL,
  requester_via    VARCHAR(40)   NOT NULL,
  subject          VARCHAR(200)  NOT NULL,
  role             VARCHAR(40)   NOT NULL,
  reason           VARCHAR(1000) NOT NULL,
  minutes          INT           NOT NULL,
  state            VARCHAR(24)   NOT NULL,
  request_decision VARCHAR(100)  NOT NULL,
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  approved_by      VARCHAR(200),
  started_at       TIMESTAMP WITH TIME ZONE,
  expires_at       TIMESTAMP WITH TIME ZONE,
  ended_at         TIMESTAMP WITH TIME ZONE,
  ended_by         VARCHAR(200),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX lifecycle_impersonations_by_id ON lifecycle_impersonations (id);
CREATE INDEX lifecycle_impersonations_due ON lifecycle_impersonations (state, expires_at);
