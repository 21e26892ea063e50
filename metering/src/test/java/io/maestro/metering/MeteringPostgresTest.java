package io.maestro.metering;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class MeteringPostgresTest extends MeteringContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
