package io.maestro.provenance;

import io.maestro.store.testing.Backend;

class ReceiptSearchH2Test extends ReceiptSearchContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
