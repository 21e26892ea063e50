package io.maestro.server.metering;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import java.nio.file.Path;

class BudgetReservationH2Test extends BudgetReservationContract {
  @Override
  MaestroServer start(Path dataDir) {
    return TestServers.start(dataDir);
  }
}
