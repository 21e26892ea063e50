package io.maestro.tenancy;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class TenantsPostgresTest extends TenantsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
