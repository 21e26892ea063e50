package io.maestro.server.auth;

import io.maestro.core.config.MaestroConfig;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;
import java.nio.file.Path;
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
    return PostgresServers.config(dataDir, schema, overrides);
  }

  @Override
  void cleanUp() {
    if (schema != null) {
      PostgresServers.drop(schema);
      schema = null;
    }
  }
}
