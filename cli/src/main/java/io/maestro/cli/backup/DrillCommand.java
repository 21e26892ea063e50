package io.maestro.cli.backup;

import io.maestro.cli.CommandGroup;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiClient;
import io.maestro.cli.client.ClientOptions;
import io.maestro.cli.server.ServerConfigOptions;
import io.maestro.core.config.MaestroConfig;
import io.maestro.server.chaos.ChaosDrill;
import io.maestro.server.chaos.Scenario;
import io.maestro.server.lifecycle.RestoreDrill;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
    footer = {
      "  maestro drill restore -o drill-2026-12-03",
      "  maestro drill chaos --scenario signer-outage -o chaos-signer"
    },
    subcommands = {DrillCommand.Restore.class, DrillCommand.Chaos.class})
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

  @Command(
      name = "chaos",
      mixinStandardHelpOptions = true,
      description =
          "Inject one fault into a running server configured for drills (chaos.enabled; dev mode,"
              + " or production with chaos.allowInProduction), check over HTTP that privileged"
              + " operations fail closed with their codes and nothing is half-written, measure the"
              + " recovery time once the fault ends, and write chaos.md, chaos.json and a"
              + " drill.chaos_completed receipt. Exit status 0 when every check passed.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro drill chaos --scenario signer-outage -o chaos-signer",
        "  maestro drill chaos --scenario pdp-latency --latency-ms 1000 --seconds 10 -o chaos-latency"
      })
  static final class Chaos implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ClientOptions client;

    @Option(
        names = "--scenario",
        required = true,
        paramLabel = "NAME",
        description = "signer-outage, pdp-outage, pdp-latency or export-throttle.")
    String scenario;

    @Option(
        names = "--token",
        paramLabel = "TOKEN",
        description =
            "A platform administrator's token (default: $MAESTRO_TOKEN, else the one maestro"
                + " login saved).")
    String token;

    @Option(
        names = "--probe-token",
        paramLabel = "TOKEN",
        description =
            "A tenant administrator's token for the drill's probes (default: minted by the dev"
                + " token issuer in tenant chaos-drill).")
    String probeToken;

    @Option(
        names = "--seconds",
        defaultValue = "10",
        paramLabel = "N",
        description = "How long the fault lasts (1-600; default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
        names = "--latency-ms",
        defaultValue = "1000",
        paramLabel = "MS",
        description = "pdp-latency: the wait added to each decision (default ${DEFAULT-VALUE}).")
    int latencyMs;

    @Option(
        names = {"-o", "--out"},
        required = true,
        paramLabel = "DIR",
        description = "A new directory for chaos.md and chaos.json.")
    Path out;

    @Override
    public Integer call() throws Exception {
      Scenario s =
          Scenario.of(scenario)
              .orElseThrow(
                  () ->
                      new UserError(
                          "unknown scenario " + scenario + "; one of " + Scenario.names()));
      if (seconds < 1 || seconds > 600) {
        throw new UserError("--seconds must be from 1 to 600");
      }
      if (Files.exists(out)) {
        throw new UserError(out + " exists; name a new directory");
      }
      String admin = ApiClient.token(Optional.ofNullable(token), ClientOptions.home());
      try {
        var r =
            ChaosDrill.run(
                new ChaosDrill.Options(
                    client.serverUrl().toString(),
                    admin,
                    Optional.ofNullable(probeToken),
                    s,
                    Duration.ofSeconds(seconds),
                    Duration.ofMillis(latencyMs),
                    out));
        spec.commandLine().getOut().print(ChaosDrill.markdown(r));
        spec.commandLine().getOut().println("report: " + out.resolve("chaos.md"));
        return r.path("passed").asBoolean() ? 0 : 1;
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new UserError("drill chaos: " + e.getMessage());
      }
    }
  }
}
