package io.maestro.engine.run;

import io.maestro.store.testing.Backend;

class OutputLimitsPostgresTest extends OutputLimitsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
