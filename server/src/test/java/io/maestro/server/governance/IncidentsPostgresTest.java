package io.maestro.server.governance;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class IncidentsPostgresTest extends IncidentsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
