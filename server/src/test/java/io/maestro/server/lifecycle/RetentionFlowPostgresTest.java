package io.maestro.server.lifecycle;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.PostgresServers;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import io.maestro.tenancy.ScopeGuard;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Retention on PostgreSQL with row-level security on (transactions run as maestro_app). */
@RequiresPostgres
class RetentionFlowPostgresTest extends RetentionFlowContract {
  String schema;

  @Override
  MaestroServer startServer(Path dataDir, Map<String, String> settings, Clock clock) {
    schema = PostgresServers.newSchema();
    Map<String, String> all = new HashMap<>(settings);
    all.put("db.url", TestDatabase.postgresUrl());
    all.put("db.user", TestDatabase.postgresUser());
    all.put("db.schema", schema);
    all.put("db.rlsRole", "maestro_app");
    return MaestroServer.start(TestServers.config(dataDir, all), ScopeGuard.ENFORCING, clock);
  }

  @Override
  void cleanUp() {
    if (schema != null) {
      PostgresServers.drop(schema);
    }
  }
}
