package io.maestro.metering.bench;

import io.maestro.store.testing.Backend;

class BulkSeedH2Test extends BulkSeedContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
