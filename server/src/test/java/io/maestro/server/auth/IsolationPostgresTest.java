package io.maestro.server.auth;

import io.maestro.server.MaestroServer;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.tenancy.ScopeGuard;
import java.nio.file.Path;

/** The isolation suite on PostgreSQL with row-level security on and the code-level check on. */
@RequiresPostgres
class IsolationPostgresTest extends IsolationContract {
  String schema;

  @Override
  MaestroServer startServer(Path dataDir, ScopeGuard guard) {
    schema = PostgresServers.newSchema();
    return PostgresServers.start(dataDir, schema, guard);
  }

  @Override
  ScopeGuard guard() {
    return ScopeGuard.ENFORCING;
  }

  @Override
  void cleanUp() {
    if (schema != null) {
      PostgresServers.drop(schema);
    }
  }
}
