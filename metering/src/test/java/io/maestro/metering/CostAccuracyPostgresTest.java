package io.maestro.metering;

import io.maestro.store.testing.Backend;

class CostAccuracyPostgresTest extends CostAccuracyContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
