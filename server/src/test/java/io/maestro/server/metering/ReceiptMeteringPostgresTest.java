package io.maestro.server.metering;

import io.maestro.server.MaestroServer;
import io.maestro.server.auth.PostgresServers;
import io.maestro.store.testing.RequiresPostgres;
import java.nio.file.Path;

@RequiresPostgres
class ReceiptMeteringPostgresTest extends ReceiptMeteringContract {
  private String schema;

  @Override
  MaestroServer start(Path dataDir) {
    schema = PostgresServers.newSchema();
    return PostgresServers.start(dataDir, schema);
  }

  @Override
  void stop(MaestroServer server) {
    try {
      server.close();
    } finally {
      PostgresServers.drop(schema);
    }
  }
}
