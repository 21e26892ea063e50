-- Each tenant's storage quota for step outputs (bytes, as JSON); 1 GiB unless provisioned or
-- patched otherwise. Shown by whoami beside what the tenant's runs store.
ALTER TABLE tenants ADD COLUMN max_storage_bytes BIGINT DEFAULT 1073741824 NOT NULL;
