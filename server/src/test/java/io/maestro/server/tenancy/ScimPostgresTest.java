package io.maestro.server.tenancy;

import io.maestro.server.MaestroServer;
import io.maestro.server.auth.PostgresServers;
import io.maestro.store.testing.RequiresPostgres;
import java.nio.file.Path;

/** SCIM 2.0 provisioning on PostgreSQL with row-level security on. */
@RequiresPostgres
class ScimPostgresTest extends ScimContract {
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
