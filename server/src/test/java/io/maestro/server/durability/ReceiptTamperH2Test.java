package io.maestro.server.durability;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

class ReceiptTamperH2Test extends ReceiptTamperContract {
  @Override
  MaestroServer startServer(Path dataDir) {
    return TestServers.start(dataDir);
  }

  @Override
  Connection ownerConnection() throws SQLException {
    return server.database().dataSource().getConnection();
  }
}
