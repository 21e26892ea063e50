package io.maestro.server.lifecycle;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.tenancy.ScopeGuard;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Retention rules, legal holds and the retention job on the embedded H2 database. */
class RetentionFlowH2Test extends RetentionFlowContract {
  @Override
  MaestroServer startServer(Path dataDir, Map<String, String> settings, Clock clock) {
    return MaestroServer.start(TestServers.config(dataDir, settings), ScopeGuard.ENFORCING, clock);
  }
}
