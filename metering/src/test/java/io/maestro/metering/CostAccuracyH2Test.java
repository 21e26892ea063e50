package io.maestro.metering;

import io.maestro.store.testing.Backend;

class CostAccuracyH2Test extends CostAccuracyContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
