package io.maestro.server.governance;

import io.maestro.store.testing.Backend;

class IncidentsPostgresTest extends IncidentsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
