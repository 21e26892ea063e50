-- A demo tenant (provisioned under demo.create, ADR 0053) names the platform subject that made it;
-- the tenant's policy profile may let that operator act in it (settings.demo_operator). NULL for
-- every other tenant, and never changed after provisioning.
ALTER TABLE tenants ADD COLUMN demo_operator VARCHAR(200);
