package io.maestro.engine.run;

import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;

class HeartbeatRacePostgresTest extends HeartbeatRaceContract {
  @Override
  TestDatabase open(Path dir) {
    return TestDatabase.postgres();
  }
}
