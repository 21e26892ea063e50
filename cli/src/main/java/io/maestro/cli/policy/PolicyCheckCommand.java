package io.maestro.cli.policy;

import io.maestro.policy.ProfileInfo;
import io.maestro.policy.bundle.Bundle;
import io.maestro.policy.tools.PolicySources;
import io.maestro.rego.Rego;
import io.maestro.rego.RegoException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code maestro policy check}: parses and compiles policies, reporting every error. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {"  maestro policy check policies/"},
    description = {
      "Parse and compile policies and check profile manifests; print every error as",
      "file:line:col: code: message. Exit code 1 when there is any."
    })
public final class PolicyCheckCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Policy files or directories.")
  List<Path> paths;

  @Override
  public Integer call() {
    return PolicyErrorsOut.guard(
        () -> {
          PolicySources sources = PolicySources.load(paths);
          List<String> errors = new ArrayList<>();
          // The engine parses every file and, when all parse, compiles them all, collecting every
          // independent error (capped like OPA's) instead of stopping at the first.
          try {
            Rego.compile(sources.modules(), sources.data());
          } catch (RegoException e) {
            errors.addAll(PolicyErrorsOut.lines(e));
          }
          Set<String> packs =
              Set.of("maestro.isolation", "maestro.rbac", "maestro.abac", "maestro.quota");
          for (Bundle b : sources.bundles()) {
            for (ProfileInfo p : ProfileInfo.all(b)) {
              errors.addAll(p.problems(packs));
            }
          }
          PrintWriter err = spec.commandLine().getErr();
          errors.forEach(err::println);
          err.flush();
          if (errors.isEmpty()) {
            spec.commandLine()
                .getOut()
                .println(sources.modules().size() + " modules checked, no errors");
            spec.commandLine().getOut().flush();
            return 0;
          }
          return 1;
        });
  }
}
