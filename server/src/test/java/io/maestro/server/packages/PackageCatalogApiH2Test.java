package io.maestro.server.packages;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.tenancy.ScopeGuard;
import java.nio.file.Path;
import java.util.Map;

class PackageCatalogApiH2Test extends PackageCatalogApiContract {
  @Override
  MaestroServer start(Path dataDir, Map<String, String> overrides) {
    return MaestroServer.start(TestServers.config(dataDir, overrides), ScopeGuard.ENFORCING);
  }
}
