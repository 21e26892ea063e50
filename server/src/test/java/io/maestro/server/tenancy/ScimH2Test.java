package io.maestro.server.tenancy;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import java.nio.file.Path;

/** SCIM 2.0 provisioning on the embedded H2 database. */
class ScimH2Test extends ScimContract {
  @Override
  MaestroServer startServer(Path dataDir) {
    return TestServers.start(dataDir);
  }
}
