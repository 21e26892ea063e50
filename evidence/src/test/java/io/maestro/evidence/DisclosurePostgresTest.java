package io.maestro.evidence;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class DisclosurePostgresTest extends DisclosureContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
