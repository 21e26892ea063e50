package io.maestro.architecture;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class RewrittenMigrationsPostgresTest extends RewrittenMigrationsContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
