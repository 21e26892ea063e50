package io.maestro.cli.receipts;

import io.maestro.cli.CommandGroup;
import io.maestro.cli.client.ApiClient;
import io.maestro.cli.client.ClientOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code maestro keys export}: the server's public signing keys (JWKS), for offline checks. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "The server's public checkpoint-signing keys.",
    footerHeading = "%nExamples:%n",
    footer = {"  maestro keys export -o keys.json"},
    subcommands = KeysCommand.Export.class)
public final class KeysCommand extends CommandGroup {
  /** {@code maestro keys export [-o FILE]}. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = "Write the public keys (JWKS) that maestro verify --keys reads.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro keys export -o keys.json",
        "  maestro verify acme.ndjson --keys keys.json"
      })
  static final class Export implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ClientOptions client;

    @Option(
        names = {"-o", "--out"},
        paramLabel = "FILE",
        description = "Write to FILE (default: standard output).")
    Path file;

    @Override
    public Integer call() {
      // Public keys need no login: anyone verifying a log must be able to fetch them.
      ApiClient anonymous = new ApiClient(client.serverUrl(), null);
      ReceiptsCommand.Downloads.to(
          file,
          spec,
          sink -> anonymous.download("/.well-known/maestro/keys", sink, "cannot fetch the keys"));
      return 0;
    }
  }
}
