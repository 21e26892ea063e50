package io.maestro.engine.schedule;

import io.maestro.store.testing.Backend;

class SchedulesH2Test extends SchedulesContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
