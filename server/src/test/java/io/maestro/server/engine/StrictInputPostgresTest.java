package io.maestro.server.engine;

import io.maestro.server.MaestroServer;
import io.maestro.server.auth.PostgresServers;
import io.maestro.store.testing.RequiresPostgres;
import java.nio.file.Path;

@RequiresPostgres
class StrictInputPostgresTest extends StrictInputContract {
  String schema;

  @Override
  MaestroServer startServer(Path dataDir) {
    schema = PostgresServers.newSchema();
    return PostgresServers.start(dataDir, schema);
  }

  @Override
  void cleanUp() {
    if (schema != null) {
      PostgresServers.drop(schema);
    }
  }
}
