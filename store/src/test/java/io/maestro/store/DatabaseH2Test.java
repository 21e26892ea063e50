package io.maestro.store;

import io.maestro.store.testing.Backend;

class DatabaseH2Test extends DatabaseContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
