package io.maestro.engine.worker;

import io.maestro.store.testing.Backend;

class ExternalTasksPostgresTest extends ExternalTasksContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
