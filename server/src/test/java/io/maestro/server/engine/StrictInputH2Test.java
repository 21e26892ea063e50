package io.maestro.server.engine;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import java.nio.file.Path;

class StrictInputH2Test extends StrictInputContract {
  @Override
  MaestroServer startServer(Path dataDir) {
    return TestServers.start(dataDir);
  }
}
