package io.maestro.server.lifecycle;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import java.nio.file.Path;

/** Dual-control purges on the embedded H2 database. */
class PurgeFlowH2Test extends PurgeFlowContract {
  @Override
  MaestroServer startServer(Path dataDir) {
    return TestServers.start(dataDir);
  }
}
