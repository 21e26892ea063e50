package io.maestro.engine.queue;

import io.maestro.store.testing.Backend;

class WorkQueuePostgresTest extends WorkQueueContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
