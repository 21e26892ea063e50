-- The result of each authenticated request: its HTTP status, filed under the same tenant and
-- decision id as the gate's decision (policy_decisions), so the compliance bundle's access log
-- says who did what, the decision and the result. Written by the decision log's batch writer,
-- after the decision in the same queue. No headers, bodies or tokens are kept.
CREATE TABLE policy_request_results (
  tenant_id   VARCHAR(63) NOT NULL,
  decision_id VARCHAR(64) NOT NULL,
  status      INTEGER     NOT NULL,
  PRIMARY KEY (tenant_id, decision_id)
);
