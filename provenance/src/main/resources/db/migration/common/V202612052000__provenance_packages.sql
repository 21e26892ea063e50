-- Workflow package catalog (issue 20, ADR 0046): the signed packages a tenant published, kept as
-- their exact bytes so an install checks the same chain again, and the publisher keys a tenant
-- trusts besides the installation's (packages.trustedKeys and the server's own key ring).
CREATE TABLE provenance_packages (
  tenant_id     VARCHAR(63) NOT NULL,
  name          VARCHAR(63) NOT NULL,
  version       VARCHAR(63) NOT NULL,
  digest        VARCHAR(71) NOT NULL,
  signer        VARCHAR(300) NOT NULL,
  builder       VARCHAR(500),
  source_uri    VARCHAR(1000),
  source_digest VARCHAR(200),
  workflows     VARCHAR NOT NULL,
  content       BYTEA NOT NULL,
  published_by  VARCHAR(300) NOT NULL,
  published_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, name, version)
);

CREATE TABLE provenance_package_publishers (
  tenant_id VARCHAR(63) NOT NULL,
  key_id    VARCHAR(300) NOT NULL,
  jwk       VARCHAR NOT NULL,
  added_by  VARCHAR(300) NOT NULL,
  added_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, key_id)
);
