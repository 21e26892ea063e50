package io.maestro.engine.queue;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class WorkQueuePostgresTest extends WorkQueueContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
