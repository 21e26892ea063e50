package io.maestro.engine.run;

import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;

class ChainedStepsH2Test extends ChainedStepsContract {
  @Override
  TestDatabase open(Path dir) {
    return TestDatabase.h2File(dir);
  }
}
