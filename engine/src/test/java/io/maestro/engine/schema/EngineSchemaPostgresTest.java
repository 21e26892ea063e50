package io.maestro.engine.schema;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class EngineSchemaPostgresTest extends EngineSchemaContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
