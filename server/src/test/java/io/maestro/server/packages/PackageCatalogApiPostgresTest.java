package io.maestro.server.packages;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.PostgresServers;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import io.maestro.tenancy.ScopeGuard;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

@RequiresPostgres
class PackageCatalogApiPostgresTest extends PackageCatalogApiContract {
  private String schema;

  @Override
  MaestroServer start(Path dataDir, Map<String, String> overrides) {
    schema = PostgresServers.newSchema();
    Map<String, String> flags = new HashMap<>(overrides);
    flags.put("db.url", TestDatabase.postgresUrl());
    flags.put("db.user", TestDatabase.postgresUser());
    flags.put("db.schema", schema);
    flags.put("db.rlsRole", "maestro_app");
    return MaestroServer.start(TestServers.config(dataDir, flags), ScopeGuard.ENFORCING);
  }

  @AfterEach
  void drop() {
    if (schema != null) {
      PostgresServers.drop(schema);
    }
  }
}
