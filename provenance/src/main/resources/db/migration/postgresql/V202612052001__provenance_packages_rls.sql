-- Row-level security of the package catalog and trusted publishers, as for the other provenance
-- tables.
ALTER TABLE provenance_packages ENABLE ROW LEVEL SECURITY;
ALTER TABLE provenance_packages FORCE ROW LEVEL SECURITY;
CREATE POLICY provenance_packages_tenant ON provenance_packages USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));

ALTER TABLE provenance_package_publishers ENABLE ROW LEVEL SECURITY;
ALTER TABLE provenance_package_publishers FORCE ROW LEVEL SECURITY;
CREATE POLICY provenance_package_publishers_tenant ON provenance_package_publishers USING (current_setting('maestro.scope', true) = 'platform' OR tenant_id = current_setting('maestro.tenant_id', true));
