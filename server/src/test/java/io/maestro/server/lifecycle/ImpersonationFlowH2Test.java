package io.maestro.server.lifecycle;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.tenancy.ScopeGuard;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Support impersonation on the embedded H2 database. */
class ImpersonationFlowH2Test extends ImpersonationFlowContract {
  @Override
  MaestroServer startServer(Path dataDir, Clock clock) {
    return MaestroServer.start(TestServers.config(dataDir, Map.of()), ScopeGuard.ENFORCING, clock);
  }
}
