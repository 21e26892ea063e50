package io.maestro.cli;

import picocli.CommandLine;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code maestro runs}): on its own it prints its usage.
 */
public abstract class CommandGroup implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
