package io.maestro.provenance;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class ExportPostgresTest extends ExportContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
