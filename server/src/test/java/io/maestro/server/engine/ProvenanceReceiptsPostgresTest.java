package io.maestro.server.engine;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class ProvenanceReceiptsPostgresTest extends ProvenanceReceiptsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
