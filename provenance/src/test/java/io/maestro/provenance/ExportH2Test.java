package io.maestro.provenance;

import io.maestro.store.testing.Backend;

class ExportH2Test extends ExportContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
