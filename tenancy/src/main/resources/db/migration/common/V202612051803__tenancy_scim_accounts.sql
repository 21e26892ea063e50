-- SCIM 2.0 provisioning: what an identity provider says about a tenant's users beyond the
-- membership itself (tenancy_members holds who is a member with which role). A deactivated user
-- keeps its row here (active false, the role it held) and loses its membership, so it can be
-- reactivated with that role. Only the tenancy module reads or writes this table.
CREATE TABLE tenancy_scim_accounts (
  tenant_id    VARCHAR(63)  NOT NULL,
  subject      VARCHAR(200) NOT NULL,
  external_id  VARCHAR(200),
  display_name VARCHAR(200),
  role         VARCHAR(40)  NOT NULL,
  active       BOOLEAN      NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, subject)
);
