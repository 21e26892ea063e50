-- A tenant's own ceilings on what its core/exec steps may ask of the sandbox; 0 means none of its
-- own (the platform's engine.sandbox.max* apply to everyone).
ALTER TABLE tenants ADD COLUMN sandbox_max_memory_bytes BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE tenants ADD COLUMN sandbox_max_cpu_seconds BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE tenants ADD COLUMN sandbox_max_processes BIGINT DEFAULT 0 NOT NULL;
