package io.maestro.cli.compliance;

import io.maestro.cli.UserError;
import io.maestro.evidence.bundle.Explainer;
import io.maestro.evidence.verify.BundleFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maestro compliance explain (--subject KIND:ID | --actor SUB) bundle.tgz}: who did what,
 * why it was allowed and what changed, read from the bundle alone (no server).
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Who did what, why it was allowed and what changed, for one subject or one actor, read",
      "offline from a compliance bundle. Verify the bundle first to trust the answer."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro compliance explain --subject run:run_0193… q4.tgz",
      "  maestro compliance explain --actor ada@acme q4.tgz"
    })
public final class ComplianceExplainCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  static final class Who {
    @Option(
        names = "--subject",
        paramLabel = "KIND:ID",
        description = "A subject such as run:run_0193…, step:run_0193…/build or tenant:acme.")
    String subject;

    @Option(names = "--actor", paramLabel = "SUB", description = "An actor's subject.")
    String actor;
  }

  @ArgGroup(multiplicity = "1")
  Who who;

  @Parameters(index = "0", paramLabel = "BUNDLE", description = "The compliance bundle (.tgz).")
  Path file;

  @Override
  public Integer call() {
    Explainer.Query query =
        who.subject != null
            ? new Explainer.Query.Subject(who.subject)
            : new Explainer.Query.Actor(who.actor);
    List<String> lines;
    try (InputStream in = Files.newInputStream(file)) {
      lines = Explainer.explain(BundleFiles.read(in).files(), query);
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("cannot read " + file + " as a compliance bundle: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (lines.isEmpty()) {
      throw new UserError(
          "the bundle records nothing about "
              + (who.subject != null ? who.subject : "actor " + who.actor)
              + " in its window",
          1);
    }
    lines.forEach(out::println);
    out.flush();
    return 0;
  }
}
