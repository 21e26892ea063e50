package io.maestro.provenance;

import io.maestro.store.testing.Backend;

class CheckpointPostgresTest extends CheckpointContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
