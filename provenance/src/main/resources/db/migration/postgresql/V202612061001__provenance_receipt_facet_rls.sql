-- Row-level security of the facet index, as for the other provenance tables.
ALTER TABLE provenance_receipt_facet ENABLE ROW LEVEL SECURITY;
ALTER TABLE provenance_receipt_facet FORCE ROW LEVEL SECURITY;
CREATE POLICY provenance_receipt_facet_tenant ON provenance_receipt_facet USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
