package io.maestro.engine.schema;

import io.maestro.store.testing.Backend;

class EngineSchemaPostgresTest extends EngineSchemaContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
