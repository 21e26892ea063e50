package io.maestro.server.auth;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.tenancy.ScopeGuard;
import java.nio.file.Path;

/** The isolation suite on the embedded H2 database, where the code-level check is the guard. */
class IsolationH2Test extends IsolationContract {
  @Override
  MaestroServer startServer(Path dataDir, ScopeGuard guard) {
    return TestServers.start(dataDir, guard);
  }

  @Override
  ScopeGuard guard() {
    return ScopeGuard.ENFORCING;
  }
}
