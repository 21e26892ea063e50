package io.maestro.tenancy;

import io.maestro.store.testing.Backend;

class TenantsPostgresTest extends TenantsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
