package io.maestro.cli.whoami;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ClientOptions;
import io.maestro.cli.client.Credentials;
import io.maestro.cli.login.AuthClient;
import io.maestro.core.json.Json;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code maestro whoami}: who the server takes you for — subject, tenant, roles, attributes,
 * profile, quotas with current use and budget — as JSON (seed 003 §15.2).
 */
@Command(
    name = "whoami",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {"  maestro whoami"},
    description = "Show who you are signed in as: tenant, roles, quotas with their use, budget.")
public final class WhoamiCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ClientOptions client;

  @Option(
      names = "--token",
      paramLabel = "JWT",
      description = "Token to use (default: $MAESTRO_TOKEN, else the one maestro login saved).")
  String token;

  @Override
  public Integer call() throws Exception {
    String bearer =
        Credentials.bearer(Optional.ofNullable(token), ClientOptions.home())
            .orElseThrow(
                () ->
                    new UserError(
                        "not signed in: run `maestro login --dev --tenant T --role R` or pass --token"));
    JsonNode me =
        new AuthClient(client.serverUrl()).call("GET", "/api/whoami", null, Optional.of(bearer));
    spec.commandLine().getOut().println(Json.PRETTY.writeValueAsString(me));
    return 0;
  }
}
