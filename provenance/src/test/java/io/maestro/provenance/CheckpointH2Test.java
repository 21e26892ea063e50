package io.maestro.provenance;

import io.maestro.store.testing.Backend;

class CheckpointH2Test extends CheckpointContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
