-- White-label brand packs (platform objects: a partner's product name, logo and colours) and the
-- pack each tenant is shown with. A pack is stored as its validated, canonical JSON document.
CREATE TABLE tenancy_brand_packs (
  id         VARCHAR(63) NOT NULL PRIMARY KEY,
  doc        VARCHAR NOT NULL,
  version    BIGINT NOT NULL,
  updated_by VARCHAR(300) NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE tenancy_brand_assignments (
  tenant_id   VARCHAR(63) NOT NULL PRIMARY KEY,
  pack_id     VARCHAR(63) NOT NULL REFERENCES tenancy_brand_packs (id),
  assigned_by VARCHAR(300) NOT NULL,
  assigned_at TIMESTAMP WITH TIME ZONE NOT NULL
);
