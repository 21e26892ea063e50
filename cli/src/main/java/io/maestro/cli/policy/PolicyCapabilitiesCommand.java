package io.maestro.cli.policy;

import io.maestro.rego.Capabilities;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code maestro policy capabilities}: the embedded engine's capabilities in OPA's JSON format,
 * like {@code opa capabilities --current}, generated from the engine's builtin registry. Users
 * check their policies against it with {@code opa check --capabilities FILE}.
 */
@Command(
    name = "capabilities",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro policy capabilities > capabilities.json",
      "  opa check --capabilities capabilities.json policies/"
    },
    description = {
      "Print the Rego engine's capabilities (builtins with their declarations, keywords and",
      "features) in OPA's capabilities JSON format, like opa capabilities --current."
    })
public final class PolicyCapabilitiesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--current",
      description = "The capabilities of this engine (the default; accepted as opa accepts it).")
  boolean current;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(Capabilities.currentJson());
    out.flush();
    return 0;
  }
}
