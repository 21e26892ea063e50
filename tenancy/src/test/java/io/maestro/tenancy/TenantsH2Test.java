package io.maestro.tenancy;

import io.maestro.store.testing.Backend;

class TenantsH2Test extends TenantsContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
