package io.maestro.cli.policy;

import io.maestro.policy.tools.PolicyDocs;
import io.maestro.policy.tools.PolicySources;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maestro policy docs}: one Markdown page per pack, every example run as a test. */
@Command(
    name = "docs",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro policy docs policies -o docs/policies",
      "  maestro policy docs policies -o docs/policies --check"
    },
    description = {
      "Generate one Markdown page per pack from its METADATA annotation (plus an index and a",
      "profiles page) and run every custom.examples entry as a test. A wrong example fails the",
      "command and writes nothing. With --check, only report pages that are out of date."
    })
public final class PolicyDocsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DIR", arity = "1..*", description = "Policy directories.")
  List<Path> paths;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      description = "Output directory (default docs/policies).")
  Path output = Path.of("docs", "policies");

  @Option(
      names = "--check",
      description = "Write nothing; exit 1 when the pages in --output are stale.")
  boolean check;

  @Override
  public Integer call() {
    return PolicyErrorsOut.guard(
        () -> {
          PolicyDocs.Result r = PolicyDocs.generate(PolicySources.load(paths));
          PrintWriter out = spec.commandLine().getOut();
          PrintWriter err = spec.commandLine().getErr();
          if (!r.failures().isEmpty()) {
            r.failures().forEach(f -> err.println(f.toString()));
            err.println(r.failures().size() + " of " + r.examplesRun() + " examples failed");
            err.flush();
            return 1;
          }
          if (check) {
            List<String> stale = PolicyDocs.stale(r, output);
            stale.forEach(s -> err.println(output.resolve(s) + ": out of date"));
            err.flush();
            out.println(
                stale.isEmpty()
                    ? "docs are current (" + r.examplesRun() + " examples pass)"
                    : stale.size() + " pages out of date; run maestro policy docs");
            out.flush();
            return stale.isEmpty() ? 0 : 1;
          }
          PolicyDocs.write(r, output);
          out.println(
              "wrote "
                  + r.pages().size()
                  + " pages to "
                  + output
                  + "; "
                  + r.examplesRun()
                  + " examples pass");
          out.flush();
          return 0;
        });
  }
}
