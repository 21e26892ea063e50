package io.maestro.engine.schedule;

import io.maestro.store.testing.Backend;

class SchedulesPostgresTest extends SchedulesContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
