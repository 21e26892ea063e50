package io.maestro.provenance;

import io.maestro.store.testing.Backend;

class ExportPostgresTest extends ExportContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
