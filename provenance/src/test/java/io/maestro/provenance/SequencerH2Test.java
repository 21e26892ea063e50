package io.maestro.provenance;

import io.maestro.store.testing.Backend;

class SequencerH2Test extends SequencerContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
