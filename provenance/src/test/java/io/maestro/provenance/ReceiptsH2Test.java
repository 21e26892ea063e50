package io.maestro.provenance;

import io.maestro.store.testing.Backend;

class ReceiptsH2Test extends ReceiptsContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
