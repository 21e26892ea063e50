package io.maestro.engine.queue;

import io.maestro.store.testing.Backend;

class WorkQueueH2Test extends WorkQueueContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
