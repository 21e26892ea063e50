package io.maestro.server.auth;

import io.maestro.core.config.MaestroConfig;
import io.maestro.server.TestServers;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** On PostgreSQL with row-level security: transactions run as {@code maestro_app}. */
@RequiresPostgres
class PolicyDecisionLogPostgresTest extends PolicyDecisionLogContract {
  private String schema;

  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }

  @Override
  MaestroConfig config(Path dataDir, Map<String, String> overrides) {
    if (schema == null) {
      schema = PostgresServers.newSchema();
    }
    Map<String, String> all = new HashMap<>(overrides);
    all.put("db.url", TestDatabase.postgresUrl());
    all.put("db.user", TestDatabase.postgresUser());
    all.put("db.schema", schema);
    all.put("db.rlsRole", "maestro_app");
    return TestServers.config(dataDir, all);
  }

  @Override
  void cleanUp() {
    if (schema != null) {
      PostgresServers.drop(schema);
      schema = null;
    }
  }
}
