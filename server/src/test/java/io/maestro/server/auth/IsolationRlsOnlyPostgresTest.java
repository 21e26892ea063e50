package io.maestro.server.auth;

import io.maestro.server.MaestroServer;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.tenancy.ScopeGuard;
import java.nio.file.Path;

/**
 * The isolation suite on PostgreSQL with the code-level tenant check switched off: the policy is
 * not told which tenant a request names and repositories do not compare scopes, so only row-level
 * security stands between bravo's transactions and alpha's rows — and it must be enough.
 */
@RequiresPostgres
class IsolationRlsOnlyPostgresTest extends IsolationContract {
  String schema;

  @Override
  MaestroServer startServer(Path dataDir, ScopeGuard guard) {
    schema = PostgresServers.newSchema();
    return PostgresServers.start(dataDir, schema, guard);
  }

  @Override
  ScopeGuard guard() {
    return ScopeGuard.DATABASE_ONLY;
  }

  @Override
  void cleanUp() {
    if (schema != null) {
      PostgresServers.drop(schema);
    }
  }
}
