package io.maestro.cli.doctor;

import io.maestro.cli.server.ServerConfigOptions;
import io.maestro.core.config.MaestroConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code maestro doctor}: checks this machine and the server's configuration — JDK, bubblewrap,
 * seccomp, database, port, data directory — and says what to do about each problem.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Check this machine and the server configuration: JDK, bubblewrap, seccomp, database,"
          + " port and data directory; print what to do for each problem.",
      "Exit status: 0 when the server can run (warnings name optional features that are"
          + " unavailable), 1 when something must be fixed first."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro doctor",
      "  maestro doctor --db-url jdbc:postgresql://127.0.0.1:5432/test --port 9090"
    })
public final class DoctorCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ServerConfigOptions settings;

  @Override
  public Integer call() {
    MaestroConfig config = settings.load(Map.of());
    List<Check> checks =
        List.of(
            Checks.java(),
            Checks.bubblewrap(config.sandbox().bwrap(), System.getenv("PATH")),
            Checks.seccomp(Path.of("/proc/self/status"), System.getProperty("os.arch", "")),
            Checks.dataDir(config.dataDir()),
            Checks.database(config.database(), config.dataDir()),
            Checks.port(config.server()));
    PrintWriter out = spec.commandLine().getOut();
    int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
    for (Check c : checks) {
      out.println(
          String.format(
              "%-4s  %-" + width + "s  %s",
              c.status().name().toLowerCase(Locale.ROOT),
              c.name(),
              c.detail()));
      if (!c.fix().isEmpty()) {
        out.println(" ".repeat(6 + width) + "→ " + c.fix());
      }
    }
    long failed = checks.stream().filter(c -> c.status() == Check.Status.FAIL).count();
    long warned = checks.stream().filter(c -> c.status() == Check.Status.WARN).count();
    out.println(
        failed > 0
            ? failed + " problem(s) to fix before the server can run"
            : warned > 0
                ? "the server can run; " + warned + " optional feature(s) unavailable"
                : "everything the server needs is in place");
    return failed > 0 ? 1 : 0;
  }
}
