package io.maestro.cli.backup;

import io.maestro.cli.server.ServerConfigOptions;
import io.maestro.core.config.MaestroConfig;
import io.maestro.lifecycle.backup.Backups;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maestro restore DIR}: restores a backup into a new data directory or empty schema. */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description =
        "Restore a backup: the embedded database into a new --data-dir, or a PostgreSQL dump into"
            + " the configured (empty) database; the signing keys into the data directory.",
    footerHeading = "%nExamples:%n",
    footer = {"  maestro restore /backups/2026-12-03 --data-dir /var/lib/maestro-restored"})
public final class RestoreCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ServerConfigOptions settings;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Override
  public Integer call() {
    MaestroConfig config = settings.load(Map.of());
    var m =
        config.database().url().isEmpty()
            ? Backups.restoreEmbedded(dir, config.dataDir())
            : Backups.restorePostgres(dir, BackupCommand.postgres(config), config.dataDir());
    spec.commandLine()
        .getOut()
        .printf(
            "restored the backup of %s (%d log(s)) into %s; start it with maestro server%n",
            m.path("taken_at").asText(),
            m.path("logs").size(),
            config.database().url().isEmpty()
                ? config.dataDir()
                : io.maestro.store.Database.displayUrl(config.database().url()));
    return 0;
  }
}
