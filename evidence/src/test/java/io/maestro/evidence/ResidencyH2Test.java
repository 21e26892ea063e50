package io.maestro.evidence;

import io.maestro.store.testing.Backend;

class ResidencyH2Test extends ResidencyContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
