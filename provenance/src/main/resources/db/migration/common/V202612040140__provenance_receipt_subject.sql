-- What each receipt is about, indexed: one row per placed receipt with its subject's kind and id
-- and the id's root (the part before the first '/': a step "run_…/build" has the run's id as root),
-- so a run's receipts (the run's and its steps') are found without scanning the log. Written in the
-- transaction that places the receipt (Receipts.extend, for appends and for the sequencer alike).
CREATE TABLE provenance_receipt_subject (
  tenant_id    VARCHAR(63) NOT NULL,
  seq          BIGINT NOT NULL,
  subject_kind VARCHAR(200) NOT NULL,
  subject_id   VARCHAR NOT NULL,
  subject_root VARCHAR NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX provenance_receipt_subject_root ON provenance_receipt_subject (tenant_id, subject_root, seq);

-- Receipts placed before this migration: their subject is read from the canonical body, where
-- RFC 8785 orders the subject's members as {"id":…,"kind":…}. The migration sees every log.
${postgresql_only}SELECT set_config('maestro.scope', 'platform', true);
INSERT INTO provenance_receipt_subject (tenant_id, seq, subject_kind, subject_id, subject_root)
SELECT tenant_id, seq, subject_kind, subject_id,
       CASE WHEN POSITION('/' IN subject_id) > 0
            THEN SUBSTRING(subject_id FROM 1 FOR POSITION('/' IN subject_id) - 1)
            ELSE subject_id END
FROM (
  SELECT tenant_id, seq,
         REGEXP_SUBSTR(body, '"subject":\{"id":"([^"]*)","kind":"([^"]*)"\}', 1, 1, '', 1) AS subject_id,
         REGEXP_SUBSTR(body, '"subject":\{"id":"([^"]*)","kind":"([^"]*)"\}', 1, 1, '', 2) AS subject_kind
  FROM provenance_receipt
) s
WHERE subject_id IS NOT NULL AND subject_kind IS NOT NULL;
