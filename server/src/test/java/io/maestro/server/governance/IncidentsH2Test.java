package io.maestro.server.governance;

import io.maestro.store.testing.Backend;

class IncidentsH2Test extends IncidentsContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
