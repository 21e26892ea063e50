package io.maestro.metering;

import io.maestro.store.testing.Backend;

class MeteringPostgresTest extends MeteringContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
