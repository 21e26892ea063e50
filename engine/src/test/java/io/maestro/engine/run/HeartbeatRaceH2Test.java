package io.maestro.engine.run;

import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;

/** On the embedded file database the server uses, where an interrupt closes the file channel. */
class HeartbeatRaceH2Test extends HeartbeatRaceContract {
  @Override
  TestDatabase open(Path dir) {
    return TestDatabase.h2File(dir);
  }
}
