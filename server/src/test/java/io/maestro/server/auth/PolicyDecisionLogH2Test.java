package io.maestro.server.auth;

import io.maestro.core.config.MaestroConfig;
import io.maestro.server.TestServers;
import io.maestro.store.testing.Backend;
import java.nio.file.Path;
import java.util.Map;

class PolicyDecisionLogH2Test extends PolicyDecisionLogContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }

  @Override
  MaestroConfig config(Path dataDir, Map<String, String> overrides) {
    return TestServers.config(dataDir, overrides);
  }
}
