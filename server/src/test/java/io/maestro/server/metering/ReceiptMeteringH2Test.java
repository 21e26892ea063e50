package io.maestro.server.metering;

import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import java.nio.file.Path;

class ReceiptMeteringH2Test extends ReceiptMeteringContract {
  @Override
  MaestroServer start(Path dataDir) {
    return TestServers.start(dataDir);
  }
}
