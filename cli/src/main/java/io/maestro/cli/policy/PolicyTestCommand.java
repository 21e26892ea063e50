package io.maestro.cli.policy;

import io.maestro.policy.tools.PolicySources;
import io.maestro.policy.tools.PolicyTester;
import io.maestro.policy.tools.TestReportWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maestro policy test}: runs Rego unit tests like {@code opa test}. */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro policy test policies",
      "  maestro policy test policies --coverage --threshold 80"
    },
    description = {
      "Run the Rego tests (rules named test_*) in the given files and directories.",
      "A test passes when it is defined and true; rules named todo_* are skipped.",
      "Exit code: 0 when all pass, 1 on a failure, an error or coverage under --threshold."
    })
public final class PolicyTestCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      paramLabel = "PATH",
      arity = "0..*",
      description = "Policy files, data files or directories (default: .).")
  List<Path> paths = List.of(Path.of("."));

  @Option(
      names = {"-v", "--verbose"},
      description = "Print every test, not just failures.")
  boolean verbose;

  @Option(
      names = "--run",
      paramLabel = "REGEX",
      description = "Only tests whose name (data.pkg.test_x) matches.")
  String run;

  @Option(
      names = {"-c", "--coverage"},
      description = "Report covered and not-covered lines per file.")
  boolean coverage;

  @Option(
      names = "--threshold",
      paramLabel = "PERCENT",
      description = "With --coverage: fail below this coverage.")
  double threshold;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      description = "pretty (default) or json.")
  String format = "pretty";

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Per-test evaluation timeout (default 10).")
  long timeoutSeconds = 10;

  @Override
  public Integer call() {
    return PolicyErrorsOut.guard(
        () -> {
          PolicyTester.Options options =
              new PolicyTester.Options(
                  java.util.Optional.ofNullable(run).map(java.util.regex.Pattern::compile),
                  coverage,
                  java.time.Duration.ofSeconds(timeoutSeconds),
                  java.time.Clock.systemUTC());
          PolicyTester.Report report = PolicyTester.run(PolicySources.load(paths), options);
          PrintWriter out = spec.commandLine().getOut();
          if ("json".equals(format)) {
            out.println(TestReportWriter.json(report));
            out.flush();
          } else {
            TestReportWriter.pretty(report, verbose, out);
          }
          if (!report.passed()) {
            return 1;
          }
          if (coverage && threshold > 0 && report.coverage().isPresent()) {
            var c = report.coverage().get();
            if (c.engineReportsEvents() && c.percent() < threshold) {
              spec.commandLine()
                  .getErr()
                  .println(
                      String.format(
                          Locale.ROOT,
                          "maestro: coverage %.2f%% is below the threshold of %.2f%%",
                          c.percent(),
                          threshold));
              return 1;
            }
          }
          return 0;
        });
  }
}
