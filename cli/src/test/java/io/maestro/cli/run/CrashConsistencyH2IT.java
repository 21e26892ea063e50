package io.maestro.cli.run;

import java.util.List;
import java.util.Map;

/** On the embedded H2 database in the data directory. */
class CrashConsistencyH2IT extends CrashConsistencyContract {
  @Override
  List<String> databaseArgs() {
    return List.of();
  }

  @Override
  Map<String, String> env() {
    return Map.of();
  }
}
