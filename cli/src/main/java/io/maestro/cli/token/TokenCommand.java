package io.maestro.cli.token;

import io.maestro.cli.UserError;
import io.maestro.cli.client.ClientOptions;
import io.maestro.cli.login.AuthClient;
import io.maestro.cli.login.DevTokenOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code maestro token}: tokens for scripts. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {"  TOKEN=$(maestro token issue --dev --tenant acme --role operator)"},
    description = "Tokens for scripts.",
    subcommands = {TokenCommand.Issue.class})
public final class TokenCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code maestro token issue --dev}: prints a bare dev token on stdout, nothing else, so {@code
   * TOKEN=$(maestro token issue --dev …)} works. Without {@code --tenant} the token has no {@code
   * tenant_id} (to try denials, or with a platform role).
   */
  @Command(
      name = "issue",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {
        "  TOKEN=$(maestro token issue --dev --tenant acme --role operator --attr region=EU)",
        "  maestro token issue --dev --role conductor_admin"
      },
      description = {
        "Print a bare dev token on stdout (dev-mode server on this machine only).",
        "",
        "  TOKEN=$(maestro token issue --dev --tenant acme --role operator --attr region=EU)",
        "  maestro token issue --dev --role conductor_admin"
      })
  public static final class Issue implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin DevTokenOptions token;

    @Option(names = "--dev", required = true, description = "Use the server's dev issuer.")
    boolean dev;

    @Override
    public Integer call() {
      if (!dev) {
        throw new UserError(
            "only --dev tokens can be issued here; get others from your identity provider", 2);
      }
      var issued = token.issue(new AuthClient(client.serverUrl()));
      spec.commandLine().getOut().println(issued.path("token").asText());
      return 0;
    }
  }
}
