-- The signed workflow package a version was published from: the package's digest (sha256 of its
-- digest manifest) and the key id of the trusted key that signed it (NULL when unsigned).
ALTER TABLE engine_workflow_versions ADD COLUMN package_digest VARCHAR(80);
ALTER TABLE engine_workflow_versions ADD COLUMN package_signer VARCHAR(200);
