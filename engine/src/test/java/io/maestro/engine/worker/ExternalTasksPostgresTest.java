package io.maestro.engine.worker;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class ExternalTasksPostgresTest extends ExternalTasksContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
