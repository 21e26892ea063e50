package io.maestro.metering;

import io.maestro.store.testing.Backend;

class MeteringH2Test extends MeteringContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
