package io.maestro.engine.run;

import io.maestro.store.testing.Backend;

class EnginePostgresTest extends EngineContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
