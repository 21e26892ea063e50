package io.maestro.provenance;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class ReceiptSearchPostgresTest extends ReceiptSearchContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
