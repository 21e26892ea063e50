-- At most one open incident per tenant and workflow version, also when two servers detect the same
-- breach at the same instant: an open incident carries its subject (workflow@version) in
-- open_subject, a closed one NULL, and (tenant_id, open_subject) is unique (NULLs never collide).
ALTER TABLE governance_incidents ADD COLUMN open_subject VARCHAR(200);
UPDATE governance_incidents SET open_subject = workflow || '@' || version
  WHERE status = 'open' AND id = (SELECT MAX(j.id) FROM governance_incidents j
    WHERE j.tenant_id = governance_incidents.tenant_id AND j.workflow = governance_incidents.workflow
      AND j.version = governance_incidents.version AND j.status = 'open');
CREATE UNIQUE INDEX governance_incidents_one_open ON governance_incidents (tenant_id, open_subject);
