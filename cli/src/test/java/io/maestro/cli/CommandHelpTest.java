package io.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's {@code --help} shows examples, so nobody has to guess the syntax. */
class CommandHelpTest {
  @Test
  void everyCommandsHelp_hasExamples() {
    List<String> missing = new ArrayList<>();
    visit(new CommandLine(new Main()), missing);
    assertThat(missing).as("commands whose --help has no Examples section").isEmpty();
  }

  private static void visit(CommandLine cmd, List<String> missing) {
    if (!cmd.getCommandName().equals("help") && !cmd.getUsageMessage().contains("Examples:")) {
      missing.add(cmd.getCommandSpec().qualifiedName());
    }
    cmd.getSubcommands().values().forEach(c -> visit(c, missing));
  }
}
