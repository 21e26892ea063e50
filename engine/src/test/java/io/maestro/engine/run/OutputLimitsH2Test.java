package io.maestro.engine.run;

import io.maestro.store.testing.Backend;

class OutputLimitsH2Test extends OutputLimitsContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
