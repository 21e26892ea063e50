package io.maestro.metering.bench;

import io.maestro.store.testing.Backend;
import org.junit.jupiter.api.Test;

class BulkSeedH2Test extends BulkSeedContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }

  /** The fast path of the H2 seed: tenants 1 and 2 copied from tenant 0 inside the database. */
  @Test
  void copiedTenants_areWhatTheWritePathWrites() throws Exception {
    assertSeedWritesWhatTheWritePathWrites(1);
  }
}
