package io.maestro.engine.run;

import io.maestro.store.testing.Backend;

class ProvenanceReceiptsH2Test extends ProvenanceReceiptsContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
