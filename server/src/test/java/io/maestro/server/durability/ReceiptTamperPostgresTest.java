package io.maestro.server.durability;

import io.maestro.server.MaestroServer;
import io.maestro.server.auth.PostgresServers;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** On PostgreSQL with row-level security, tampering as the tables' owner underneath it. */
@RequiresPostgres
class ReceiptTamperPostgresTest extends ReceiptTamperContract {
  String schema;

  @Override
  MaestroServer startServer(Path dataDir) {
    schema = PostgresServers.newSchema();
    return PostgresServers.start(dataDir, schema);
  }

  @Override
  Connection ownerConnection() throws SQLException {
    Connection c =
        DriverManager.getConnection(TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "");
    c.createStatement().execute("SET search_path TO " + schema);
    return c;
  }

  @Override
  void cleanUp() {
    if (schema != null) {
      PostgresServers.drop(schema);
    }
  }
}
