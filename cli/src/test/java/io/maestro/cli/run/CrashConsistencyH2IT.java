package io.maestro.cli.run;

import io.maestro.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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

  @Override
  Connection inspect(Path kept) throws Exception {
    return DriverManager.getConnection(Database.embeddedUrl(kept.resolve("data")), "sa", "");
  }
}
