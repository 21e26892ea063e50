package io.maestro.cli.policy;

import io.maestro.cli.simulate.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code maestro policy}: work on Rego policies and bundles the way {@code opa} does, offline.
 * Every subcommand prints one line with file:line:col for bad input and exits non-zero.
 */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro policy test policies",
      "  maestro policy check policies/",
      "  maestro policy simulate examples/policy/high-risk-prod.yaml"
    },
    description =
        "Test, evaluate, check, build, sign, verify, inspect and document policies; print the"
            + " engine's capabilities; simulate decisions on a server.",
    subcommands = {
      PolicyTestCommand.class,
      PolicyEvalCommand.class,
      PolicyCheckCommand.class,
      PolicyBundleCommands.Build.class,
      PolicyBundleCommands.Sign.class,
      PolicyBundleCommands.Verify.class,
      PolicyBundleCommands.Inspect.class,
      PolicyDocsCommand.class,
      PolicyCapabilitiesCommand.class,
      SimulateCommand.class
    })
public final class PolicyCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
