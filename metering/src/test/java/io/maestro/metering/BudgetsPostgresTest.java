package io.maestro.metering;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class BudgetsPostgresTest extends BudgetsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
