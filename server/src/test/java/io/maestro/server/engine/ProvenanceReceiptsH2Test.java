package io.maestro.server.engine;

import io.maestro.store.testing.Backend;

class ProvenanceReceiptsH2Test extends ProvenanceReceiptsContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
