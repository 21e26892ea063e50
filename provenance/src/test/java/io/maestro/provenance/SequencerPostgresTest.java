package io.maestro.provenance;

import io.maestro.store.testing.Backend;

class SequencerPostgresTest extends SequencerContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
