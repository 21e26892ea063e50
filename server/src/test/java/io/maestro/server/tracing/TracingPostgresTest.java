package io.maestro.server.tracing;

import io.maestro.core.config.MaestroConfig;
import io.maestro.server.auth.PostgresServers;
import io.maestro.store.testing.RequiresPostgres;
import java.nio.file.Path;
import java.util.Map;

/**
 * Tracing on PostgreSQL with row-level security: the trace context a queue row keeps ({@code
 * engine_work.trace_parent}) survives there too, and the attempts and the external worker's lease
 * that claim the rows continue the run's trace.
 */
@RequiresPostgres
class TracingPostgresTest extends TracingContract {
  private String schema;

  @Override
  MaestroConfig config(Path dir, Map<String, String> overrides) {
    if (schema == null) {
      schema = PostgresServers.newSchema();
    }
    return PostgresServers.config(dir, schema, overrides);
  }

  @Override
  void cleanUp() {
    if (schema != null) {
      PostgresServers.drop(schema);
      schema = null;
    }
  }
}
