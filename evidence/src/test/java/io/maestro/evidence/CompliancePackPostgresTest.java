package io.maestro.evidence;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class CompliancePackPostgresTest extends CompliancePackContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
