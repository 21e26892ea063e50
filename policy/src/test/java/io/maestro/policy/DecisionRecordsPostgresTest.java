package io.maestro.policy;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class DecisionRecordsPostgresTest extends DecisionRecordsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
