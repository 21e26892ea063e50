package io.maestro.cli.server;

import io.maestro.cli.UserError;
import io.maestro.cli.verify.ReleaseGate;
import io.maestro.core.config.MaestroConfig;
import io.maestro.core.config.ProvenanceKeys;
import io.maestro.core.config.ServerKeys;
import io.maestro.server.MaestroServer;
import io.maestro.server.logging.LogSetup;
import io.maestro.server.startup.StartupChecks;
import io.maestro.server.startup.StartupFailure;
import io.maestro.store.Database;
import io.maestro.store.Migrations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code maestro server}: runs the control plane until SIGTERM or Ctrl-C. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro server",
      "  maestro server --port 9090 --data-dir /var/lib/maestro",
      "  maestro server --db-url jdbc:postgresql://127.0.0.1:5432/test --db-schema maestro",
      "  maestro server --check",
      "  maestro server --verify-release /opt/maestro/release --release-keys release-keys.json"
    },
    description = {
      "Run the Maestro Conductor server.",
      "",
      "With no configuration it uses an embedded H2 database under ./.maestro, listens on"
          + " localhost:8080 and runs in dev mode. Settings come from maestro.yaml (or --config),"
          + " then MAESTRO_* environment variables, then these flags; see docs/configuration.md."
    })
public final class ServerCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ServerConfigOptions settings;

  @Option(names = "--dev", description = "Dev mode: readable logs, the built-in dev token issuer.")
  boolean dev;

  @Option(
      names = "--dev-allow-remote",
      description =
          "Let dev mode bind a non-loopback --host (it refuses otherwise): its token issuer mints"
              + " any role. For throwaway machines only.")
  boolean devAllowRemote;

  @Option(
      names = "--prod",
      description = "Prod mode: JSON logs, tokens only from the configured OIDC provider.")
  boolean prod;

  @Option(
      names = "--check",
      description =
          "Check the configuration and the database schema, then exit (0 when up to date).")
  boolean check;

  @Option(
      names = "--verify-release",
      paramLabel = "DIR",
      description =
          "Before serving, verify this signed release (maestro verify release) and that this"
              + " process runs its jars; refuse to start when either fails."
              + " Config: release.verify.dir (env MAESTRO_RELEASE_VERIFY_DIR).")
  Path verifyRelease;

  @Option(
      names = "--release-keys",
      paramLabel = "JWKS",
      description =
          "The release public keys for --verify-release. Config: release.verify.keys (env"
              + " MAESTRO_RELEASE_VERIFY_KEYS, or the earlier MAESTRO_RELEASE_KEYS).")
  Path releaseKeys;

  @Override
  public Integer call() throws InterruptedException {
    if (dev && prod) {
      throw new UserError("--dev and --prod cannot be used together", 2);
    }
    MaestroConfig config = loadConfig();
    PrintWriter out = spec.commandLine().getOut();
    if (check) {
      return check(config, out);
    }
    Optional<Path> release = config.release().verifyDir();
    if (release.isPresent()) {
      out.println(
          ReleaseGate.verifyRunning(release.get(), config.release().verifyKeys().orElse(null)));
      out.flush();
    }
    MaestroServer server;
    try {
      server = MaestroServer.start(config);
    } catch (StartupFailure e) {
      throw new UserError(e.getMessage());
    } catch (RuntimeException e) {
      throw new UserError("cannot start the server: " + StartupChecks.reason(e));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "maestro-shutdown"));
    out.println(server.describe());
    out.flush();
    stopped.await();
    return 0;
  }

  private MaestroConfig loadConfig() {
    Map<String, String> flags = new HashMap<>();
    if (dev) {
      flags.put(ServerKeys.MODE.name(), "dev");
    }
    if (prod) {
      flags.put(ServerKeys.MODE.name(), "prod");
    }
    if (devAllowRemote) {
      flags.put(ServerKeys.DEV_ALLOW_REMOTE.name(), "true");
    }
    if (verifyRelease != null) {
      flags.put(ProvenanceKeys.RELEASE_VERIFY_DIR.name(), verifyRelease.toString());
    }
    if (releaseKeys != null) {
      flags.put(ProvenanceKeys.RELEASE_VERIFY_KEYS.name(), releaseKeys.toString());
    }
    return settings.load(flags);
  }

  private static int check(MaestroConfig config, PrintWriter out) {
    LogSetup.configure(config.log());
    try (Database database = MaestroServer.openDatabase(config)) {
      StartupChecks.schemaNotNewer(database);
      Migrations.SchemaStatus status = Migrations.status(database);
      out.println(
          "configuration: ok ("
              + config.mode().name().toLowerCase(java.util.Locale.ROOT)
              + " mode)");
      out.println("database: " + database.displayUrl());
      out.println("schema version: " + status.version().orElse("none (new database)"));
      out.println("pending migrations: " + status.pending().size());
      status.pending().forEach(p -> out.println("  " + p));
      return status.pending().isEmpty() ? 0 : 1;
    } catch (StartupFailure e) {
      throw new UserError(e.getMessage());
    } catch (RuntimeException e) {
      throw new UserError("cannot check the database: " + StartupChecks.reason(e));
    }
  }
}
