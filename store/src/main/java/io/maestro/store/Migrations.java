package io.maestro.store;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Flyway migrations for every module. Each module ships its SQL under {@code db/migration/common}
 * (both dialects) or {@code db/migration/h2} and {@code db/migration/postgresql} (where they
 * differ). Versions are timestamps ({@code V202611221600__engine_runs.sql}) so modules can add
 * migrations independently and they still apply in the order they were written.
 */
public final class Migrations {
  private Migrations() {}

  private static FluentConfiguration configure(Database db) {
    FluentConfiguration conf =
        Flyway.configure()
            .dataSource(db.dataSource())
            .locations(
                "classpath:db/migration/common", "classpath:db/migration/" + db.dialect().folder())
            .failOnMissingLocations(false)
            .loggers("slf4j");
    if (!db.schema().isEmpty()) {
      conf = conf.schemas(db.schema()).defaultSchema(db.schema()).createSchemas(true);
    }
    return conf;
  }

  /** Applies every pending migration; returns how many were applied. */
  public static int migrate(Database db) {
    return configure(db).load().migrate().migrationsExecuted;
  }

  /** The applied schema version and the migrations still pending, without changing anything. */
  public static SchemaStatus status(Database db) {
    var info = configure(db).load().info();
    Optional<String> current =
        Optional.ofNullable(info.current()).map(m -> m.getVersion().getVersion());
    List<String> pending = Arrays.stream(info.pending()).map(MigrationInfo::getScript).toList();
    // Applied migrations this binary has no script for were written by a newer release.
    List<String> newer =
        Arrays.stream(info.applied())
            .filter(
                m ->
                    m.getState() == MigrationState.FUTURE_SUCCESS
                        || m.getState() == MigrationState.FUTURE_FAILED)
            .map(m -> m.getVersion().getVersion())
            .toList();
    return new SchemaStatus(current, pending, info.applied().length, newer);
  }

  /**
   * @param version the latest applied migration version, empty for a new database
   * @param pending scripts not yet applied
   * @param newer versions applied by a newer release, unknown to this one
   */
  public record SchemaStatus(
      Optional<String> version, List<String> pending, int applied, List<String> newer) {
    public SchemaStatus {
      pending = List.copyOf(pending);
      newer = List.copyOf(newer);
    }

    public boolean upToDate() {
      return pending.isEmpty() && version.isPresent();
    }
  }
}
