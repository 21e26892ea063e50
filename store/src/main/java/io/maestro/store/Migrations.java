package io.maestro.store;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * Flyway migrations for every module. Each module ships its SQL under {@code db/migration/common}
 * (both dialects) or {@code db/migration/h2} and {@code db/migration/postgresql} (where a whole
 * script is one database's alone, such as row-level security). SQL that differs only in a type or a
 * dialect-only line is written once in {@code common} with two placeholders: {@code ${json}} (a
 * JSON column: {@code jsonb} on PostgreSQL, {@code text} on H2) and {@code ${postgresql_only}}
 * (starts a line that runs on PostgreSQL alone; on H2 it comments the line out). Versions are
 * timestamps ({@code V202611221600__engine_runs.sql}) so modules can add migrations independently
 * and they still apply in the order they were written.
 */
public final class Migrations {
  private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

  /**
   * Applied migrations whose script was later rewritten without changing what it creates, by
   * version, with the checksums their earlier scripts had. A database that applied an earlier
   * script has its recorded checksum brought up to date instead of failing validation; any other
   * checksum mismatch still fails. Each of these had an H2 and a PostgreSQL copy that became one
   * script in {@code common} (ADR 0040); the two checksums are those copies', H2's first:
   *
   * <ul>
   *   <li>{@code 202611221610}: the engine's core tables;
   *   <li>{@code 202611221643}: the decision log, {@code policy_decisions};
   *   <li>{@code 202611221708}: its {@code bundles} column.
   * </ul>
   */
  public static final Map<String, Set<Integer>> REWRITTEN =
      Map.of(
          "202611221610", Set.of(-267901293, 487677523),
          "202611221643", Set.of(-3739039, 1998314571),
          "202611221708", Set.of(-1096340390, 485987225));

  private Migrations() {}

  private static FluentConfiguration configure(Database db) {
    FluentConfiguration conf =
        Flyway.configure()
            .dataSource(db.dataSource())
            .locations(
                "classpath:db/migration/common", "classpath:db/migration/" + db.dialect().folder())
            .failOnMissingLocations(false)
            .placeholders(placeholders(db.dialect()))
            .loggers("slf4j");
    if (!db.schema().isEmpty()) {
      conf = conf.schemas(db.schema()).defaultSchema(db.schema()).createSchemas(true);
    }
    return conf;
  }

  static Map<String, String> placeholders(Dialect dialect) {
    return switch (dialect) {
      case POSTGRESQL -> Map.of("json", "JSONB", "postgresql_only", "");
      case H2 -> Map.of("json", "TEXT", "postgresql_only", "-- ");
    };
  }

  /** Applies every pending migration; returns how many were applied. */
  public static int migrate(Database db) {
    Flyway flyway = configure(db).load();
    realignRewritten(flyway);
    return flyway.migrate().migrationsExecuted;
  }

  /**
   * Brings the recorded checksums of {@link #REWRITTEN} scripts up to date, when those are the only
   * mismatches and each recorded checksum is one their earlier script had.
   */
  private static void realignRewritten(Flyway flyway) {
    ValidateResult result = flyway.validateWithResult();
    List<ValidateOutput> mismatches =
        result.invalidMigrations.stream()
            .filter(
                o ->
                    o.errorDetails != null
                        && o.errorDetails.errorCode == CoreErrorCode.CHECKSUM_MISMATCH)
            .toList();
    if (mismatches.isEmpty()) {
      return;
    }
    Map<String, Integer> recorded = new HashMap<>();
    for (MigrationInfo m : flyway.info().applied()) {
      if (m.getVersion() != null && m.getChecksum() != null) {
        recorded.put(m.getVersion().getVersion(), m.getChecksum());
      }
    }
    boolean onlyRewrites =
        mismatches.stream()
            .allMatch(
                o ->
                    o.version != null
                        && REWRITTEN
                            .getOrDefault(o.version, Set.of())
                            .contains(recorded.get(o.version)));
    if (onlyRewrites) {
      LOG.info(
          "updating the recorded checksum of rewritten migration(s) "
              + mismatches.stream().map(o -> o.version).toList());
      flyway.repair();
    }
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
