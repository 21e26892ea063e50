package io.maestro.provenance;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class ReceiptsPostgresTest extends ReceiptsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
