package io.maestro.engine.schema;

import io.maestro.store.testing.Backend;

class EngineSchemaH2Test extends EngineSchemaContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
