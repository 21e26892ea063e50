package io.maestro.server.engine;

import io.maestro.store.testing.Backend;

class ProvenanceReceiptsPostgresTest extends ProvenanceReceiptsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
