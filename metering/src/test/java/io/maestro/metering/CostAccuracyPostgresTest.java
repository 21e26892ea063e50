package io.maestro.metering;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class CostAccuracyPostgresTest extends CostAccuracyContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
