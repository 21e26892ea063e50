package io.maestro.engine.worker;

import io.maestro.store.testing.Backend;

class ExternalTasksH2Test extends ExternalTasksContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
