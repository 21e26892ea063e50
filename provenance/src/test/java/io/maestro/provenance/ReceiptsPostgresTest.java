package io.maestro.provenance;

import io.maestro.store.testing.Backend;

class ReceiptsPostgresTest extends ReceiptsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
