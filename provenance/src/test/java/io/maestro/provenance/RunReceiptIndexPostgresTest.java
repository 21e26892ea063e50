package io.maestro.provenance;

import io.maestro.store.testing.Backend;

class RunReceiptIndexPostgresTest extends RunReceiptIndexContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
