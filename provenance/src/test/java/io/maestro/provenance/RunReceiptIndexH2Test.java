package io.maestro.provenance;

import io.maestro.store.testing.Backend;

class RunReceiptIndexH2Test extends RunReceiptIndexContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
