package io.maestro.metering.bench;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class BulkSeedPostgresTest extends BulkSeedContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
