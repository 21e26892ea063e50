package io.maestro.metering;

import io.maestro.store.testing.Backend;

class BudgetsH2Test extends BudgetsContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
