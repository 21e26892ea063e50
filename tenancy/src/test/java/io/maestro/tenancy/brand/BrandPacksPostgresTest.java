package io.maestro.tenancy.brand;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class BrandPacksPostgresTest extends BrandPacksContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
