-- Row-level security of the subject index, as for the other provenance tables.
ALTER TABLE provenance_receipt_subject ENABLE ROW LEVEL SECURITY;
ALTER TABLE provenance_receipt_subject FORCE ROW LEVEL SECURITY;
CREATE POLICY provenance_receipt_subject_tenant ON provenance_receipt_subject USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
