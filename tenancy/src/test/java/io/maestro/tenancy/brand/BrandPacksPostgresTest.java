package io.maestro.tenancy.brand;

import io.maestro.store.testing.Backend;

class BrandPacksPostgresTest extends BrandPacksContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
