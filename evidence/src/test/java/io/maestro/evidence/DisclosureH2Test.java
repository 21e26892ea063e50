package io.maestro.evidence;

import io.maestro.store.testing.Backend;

class DisclosureH2Test extends DisclosureContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
