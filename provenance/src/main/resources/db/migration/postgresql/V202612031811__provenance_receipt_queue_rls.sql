-- Row-level security of the receipt queue, as for the other provenance tables.
ALTER TABLE provenance_receipt_queue ENABLE ROW LEVEL SECURITY;
ALTER TABLE provenance_receipt_queue FORCE ROW LEVEL SECURITY;
CREATE POLICY provenance_receipt_queue_tenant ON provenance_receipt_queue USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
