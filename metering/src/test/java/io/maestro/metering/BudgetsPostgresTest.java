package io.maestro.metering;

import io.maestro.store.testing.Backend;

class BudgetsPostgresTest extends BudgetsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
