-- Receipt search by digest, by actor and by deny reason (issue 16: the console's receipts view and
-- GET /api/receipts). A receipt's digest is a column already: an index finds it without reading
-- the log. Actor and deny reasons live inside the canonical body, so each placed receipt gets one
-- row per facet value, written in the transaction that places it (Receipts.extend):
--   facet 'actor'  → the actor's subject;
--   facet 'reason' → each reason code of a refusing decision (allow = false).
CREATE INDEX provenance_receipt_digest ON provenance_receipt (tenant_id, digest);

CREATE TABLE provenance_receipt_facet (
  tenant_id VARCHAR(63) NOT NULL,
  seq       BIGINT NOT NULL,
  facet     VARCHAR(16) NOT NULL,
  facet_value VARCHAR(400) NOT NULL,
  PRIMARY KEY (tenant_id, facet, facet_value, seq)
);

-- Receipts placed before this migration: the facets are read from the canonical body, where RFC
-- 8785 orders the actor's members as {"roles":[…],"sub":…,"via":…} and a decision's reasons are
-- objects {"code":…,"message":…} (a quote inside a message is escaped, so the pattern cannot start
-- inside one) or, in receipts older than whole decisions, an array of bare codes. Up to eight
-- reasons per refusal are read back, more than any pack gives. The migration sees every log.
${postgresql_only}SELECT set_config('maestro.scope', 'platform', true);
INSERT INTO provenance_receipt_facet (tenant_id, seq, facet, facet_value)
SELECT tenant_id, seq, 'actor', actor_sub FROM (
  SELECT tenant_id, seq,
         REGEXP_SUBSTR(body, '"actor":\{"roles":\[[^\]]*\],"sub":"([^"\\]+)"', 1, 1, '', 1) AS actor_sub
  FROM provenance_receipt
) a
WHERE actor_sub IS NOT NULL AND LENGTH(actor_sub) <= 400;

INSERT INTO provenance_receipt_facet (tenant_id, seq, facet, facet_value)
SELECT DISTINCT tenant_id, seq, 'reason', code FROM (
  SELECT r.tenant_id, r.seq,
         REGEXP_SUBSTR(r.body, '\{"code":"([a-z0-9_.-]{1,200})","message":', 1, n.i, '', 1) AS code
  FROM provenance_receipt r
  CROSS JOIN (VALUES (1), (2), (3), (4), (5), (6), (7), (8)) AS n(i)
  WHERE r.body LIKE '%"allow":false%'
  UNION ALL
  SELECT r.tenant_id, r.seq,
         REGEXP_SUBSTR(REGEXP_SUBSTR(r.body, '"reasons":\[("[a-z0-9_.-]{1,200}",?)*\]', 1, 1, '', 0),
                       '"([a-z0-9_.-]{1,200})"[,\]]', 1, n.i, '', 1) AS code
  FROM provenance_receipt r
  CROSS JOIN (VALUES (1), (2), (3), (4), (5), (6), (7), (8)) AS n(i)
  WHERE r.body LIKE '%"allow":false%'
) d
WHERE code IS NOT NULL;
