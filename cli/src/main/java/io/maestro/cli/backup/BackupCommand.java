package io.maestro.cli.backup;

import io.maestro.cli.server.ServerConfigOptions;
import io.maestro.core.config.MaestroConfig;
import io.maestro.lifecycle.backup.Backups;
import io.maestro.provenance.ReceiptLog;
import io.maestro.server.MaestroServer;
import io.maestro.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code maestro backup -o DIR}: a consistent backup of the database, keys and log heads. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description =
        "Back up the database (H2: BACKUP TO; PostgreSQL: pg_dump), the signing keys and every"
            + " log's head and latest checkpoint into a new directory.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro backup -o /backups/2026-12-03",
      "  maestro backup -o /backups/pg --db-url jdbc:postgresql://127.0.0.1:5432/maestro"
    })
public final class BackupCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ServerConfigOptions settings;

  @Option(
      names = {"-o", "--out"},
      required = true,
      paramLabel = "DIR")
  Path out;

  @Override
  public Integer call() {
    MaestroConfig config = settings.load(Map.of());
    try (Database db = MaestroServer.openDatabase(config)) {
      var m =
          Backups.backup(
              db,
              new ReceiptLog(config.provenance().origin()),
              config.dataDir(),
              postgres(config),
              out,
              Clock.systemUTC());
      spec.commandLine()
          .getOut()
          .printf(
              "backed up %s database with %d log(s) to %s at %s%n",
              m.path("dialect").asText(), m.path("logs").size(), out, m.path("taken_at").asText());
    }
    return 0;
  }

  static Backups.Postgres postgres(MaestroConfig config) {
    MaestroConfig.Database d = config.database();
    return new Backups.Postgres(d.url(), d.user(), d.password(), d.schema());
  }
}
