package io.maestro.cli.completion;

import io.maestro.cli.UserError;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maestro completion bash|zsh}: a shell completion script for every command and option. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = "Print a shell completion script for bash or zsh.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  source <(maestro completion bash)                # this shell",
      "  maestro completion bash > /etc/bash_completion.d/maestro",
      "  maestro completion zsh > \"${fpath[1]}/_maestro\"   # or: source <(maestro completion zsh)"
    })
public final class CompletionCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  String shell;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    String script = AutoComplete.bash(root.getCommandName(), root);
    switch (shell) {
      case "bash" -> spec.commandLine().getOut().print(script);
      // The generated script is bash's; zsh runs it through its bash-completion layer.
      case "zsh" ->
          spec.commandLine()
              .getOut()
              .print(
                  "autoload -U +X compinit && compinit\n"
                      + "autoload -U +X bashcompinit && bashcompinit\n"
                      + script);
      default -> throw new UserError("completion is available for bash and zsh, not " + shell, 2);
    }
    return 0;
  }
}
