package io.maestro.engine.run;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class OutputLimitsPostgresTest extends OutputLimitsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
