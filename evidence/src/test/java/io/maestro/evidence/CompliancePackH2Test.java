package io.maestro.evidence;

import io.maestro.store.testing.Backend;

class CompliancePackH2Test extends CompliancePackContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
