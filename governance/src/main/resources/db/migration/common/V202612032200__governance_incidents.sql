-- Incidents the rollback controller opens when a ramped workflow version breaches its error budget,
-- and their timelines (breach detected, mitigation applied or refused, recovered, closed). Only the
-- governance module reads or writes these tables; each step is also a receipt in the tenant's log.
CREATE TABLE governance_incidents (
  id         VARCHAR(40)  NOT NULL,
  tenant_id  VARCHAR(63)  NOT NULL,
  workflow   VARCHAR(100) NOT NULL,
  version    VARCHAR(64)  NOT NULL,
  status     VARCHAR(16)  NOT NULL,
  title      VARCHAR(400) NOT NULL,
  opened_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  closed_at  TIMESTAMP WITH TIME ZONE,
  closed_by  VARCHAR(200),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX governance_incidents_subject ON governance_incidents (tenant_id, workflow, version, status);

CREATE TABLE governance_incident_events (
  tenant_id   VARCHAR(63)  NOT NULL,
  incident_id VARCHAR(40)  NOT NULL,
  seq         INT          NOT NULL,
  at          TIMESTAMP WITH TIME ZONE NOT NULL,
  kind        VARCHAR(32)  NOT NULL,
  detail      VARCHAR(4000) NOT NULL,
  actor       VARCHAR(200) NOT NULL,
  receipt_id  VARCHAR(100) NOT NULL,
  PRIMARY KEY (tenant_id, incident_id, seq)
);
