package io.maestro.engine.run;

import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;

@RequiresPostgres
class HeartbeatRacePostgresTest extends HeartbeatRaceContract {
  @Override
  TestDatabase open(Path dir) {
    return TestDatabase.postgres();
  }
}
