package io.maestro.server.lifecycle;

import io.maestro.server.MaestroServer;
import io.maestro.server.auth.PostgresServers;
import io.maestro.store.testing.RequiresPostgres;
import java.nio.file.Path;

/** Dual-control purges on PostgreSQL with row-level security on. */
@RequiresPostgres
class PurgeFlowPostgresTest extends PurgeFlowContract {
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
