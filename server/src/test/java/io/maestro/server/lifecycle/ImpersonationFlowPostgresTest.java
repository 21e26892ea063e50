package io.maestro.server.lifecycle;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.PostgresServers;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import io.maestro.tenancy.ScopeGuard;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Support impersonation on PostgreSQL with row-level security on. */
@RequiresPostgres
class ImpersonationFlowPostgresTest extends ImpersonationFlowContract {
  String schema;

  @Override
  MaestroServer startServer(Path dataDir, Clock clock) {
    schema = PostgresServers.newSchema();
    return MaestroServer.start(
        TestServers.config(
            dataDir,
            Map.of(
                "db.url",
                TestDatabase.postgresUrl(),
                "db.user",
                TestDatabase.postgresUser(),
                "db.schema",
                schema,
                "db.rlsRole",
                "maestro_app")),
        ScopeGuard.ENFORCING,
        clock);
  }

  @Override
  void cleanUp() {
    if (schema != null) {
      PostgresServers.drop(schema);
    }
  }
}
