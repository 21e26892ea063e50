package io.maestro.architecture;

import io.maestro.store.testing.Backend;

class RewrittenMigrationsH2Test extends RewrittenMigrationsContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
