package io.maestro.cli.backup;

import io.maestro.cli.CommandGroup;
import io.maestro.cli.UserError;
import io.maestro.cli.server.ServerConfigOptions;
import io.maestro.core.config.MaestroConfig;
import io.maestro.server.lifecycle.RestoreDrill;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code maestro drill …}: resilience drills. */
@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    description = "Resilience drills that measure and record recovery.",
    footerHeading = "%nExamples:%n",
    footer = {"  maestro drill restore -o drill-2026-12-03"},
    subcommands = {DrillCommand.Restore.class})
public final class DrillCommand extends CommandGroup {

  @Command(
      name = "restore",
      mixinStandardHelpOptions = true,
      description =
          "Back up, restore into a fresh data directory, start a server on it, verify every log"
              + " against its pre-backup checkpoint, run a synthetic workflow, and report RTO and"
              + " RPO against their targets (drill.md, drill.json, a drill.completed receipt)."
              + " Embedded H2 database; run it while the server is stopped.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro drill restore -o drill-2026-12-03 --data-dir ~/.maestro"})
  static final class Restore implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ServerConfigOptions settings;

    @Option(
        names = {"-o", "--out"},
        required = true,
        paramLabel = "DIR",
        description = "A new directory for the backup, the restored copy and the report.")
    Path out;

    @Override
    public Integer call() throws Exception {
      MaestroConfig config = settings.load(Map.of());
      if (!config.database().url().isEmpty()) {
        throw new UserError(
            "drill restore runs on the embedded database; for PostgreSQL use maestro backup and"
                + " maestro restore into a scratch database (docs/runbooks/restore-drill.md)");
      }
      if (Files.exists(out)) {
        throw new UserError(out + " exists; name a new directory");
      }
      var r = RestoreDrill.run(config, out);
      spec.commandLine().getOut().print(RestoreDrill.markdown(r));
      spec.commandLine().getOut().println("report: " + out.resolve("drill.md"));
      return r.path("passed").asBoolean() ? 0 : 1;
    }
  }
}
