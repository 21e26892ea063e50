package io.maestro.engine.schedule;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class SchedulesPostgresTest extends SchedulesContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
