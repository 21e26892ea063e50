package io.maestro.policy;

import io.maestro.store.testing.Backend;

class DecisionRecordsH2Test extends DecisionRecordsContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
