package io.maestro.tenancy.brand;

import io.maestro.store.testing.Backend;

class BrandPacksH2Test extends BrandPacksContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
