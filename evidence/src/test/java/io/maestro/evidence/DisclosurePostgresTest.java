package io.maestro.evidence;

import io.maestro.store.testing.Backend;

class DisclosurePostgresTest extends DisclosureContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
