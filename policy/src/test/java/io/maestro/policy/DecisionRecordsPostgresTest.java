package io.maestro.policy;

import io.maestro.store.testing.Backend;

class DecisionRecordsPostgresTest extends DecisionRecordsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
