package io.maestro.evidence;

import io.maestro.store.testing.Backend;

class ResidencyPostgresTest extends ResidencyContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
