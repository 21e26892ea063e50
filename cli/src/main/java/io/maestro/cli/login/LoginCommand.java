package io.maestro.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ClientOptions;
import io.maestro.cli.client.Credentials;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code maestro login}: signs in and stores the token in {@code ~/.maestro/credentials}, which
 * later commands send. {@code --dev} asks a dev-mode server on this machine for a token (with
 * {@code --create}, provisioning the tenant if it is new); {@code --token} stores a token from your
 * identity provider after checking it with the server.
 */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro login --dev --tenant acme --role tenant_admin --create",
      "  maestro login --dev --role conductor_admin",
      "  maestro login --token \"$(my-idp-cli token)\" --url https://maestro.example.com"
    },
    description = {
      "Sign in and keep the token in $MAESTRO_HOME/credentials (default ~/.maestro).",
      "",
      "  maestro login --dev --tenant acme --role tenant_admin --create",
      "  maestro login --dev --tenant acme --role operator",
      "  maestro login --token \"$(my-idp-cli token)\""
    })
public final class LoginCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ClientOptions client;
  @Mixin DevTokenOptions token;

  @Option(
      names = "--dev",
      description = "Get a token from the server's dev issuer (dev mode only).")
  boolean dev;

  @Option(
      names = "--token",
      paramLabel = "JWT",
      description = "A bearer token from your identity provider to store.")
  String bearer;

  @Override
  public Integer call() {
    if (dev == (bearer != null)) {
      throw new UserError("use either --dev or --token", 2);
    }
    PrintWriter out = spec.commandLine().getOut();
    AuthClient api = new AuthClient(client.serverUrl());
    Path home = ClientOptions.home();
    JsonNode details;
    String jwt;
    if (dev) {
      if (token.roles.isEmpty()) {
        throw new UserError("name at least one --role", 2);
      }
      JsonNode issued = token.issue(api);
      jwt = issued.path("token").asText();
      details = issued.deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) details).remove("token");
      if (issued.path("tenant_provisioned").asBoolean(false)) {
        out.println("Provisioned tenant " + issued.path("tenant").asText() + ".");
      }
    } else {
      jwt = bearer.trim();
      details = api.call("GET", "/api/whoami", null, Optional.of(jwt));
    }
    Path file = new Credentials(api.base().toString(), jwt, details).save(home);
    out.println(
        "Logged in to "
            + api.base()
            + " as "
            + details.path("subject").asText()
            + (details.hasNonNull("tenant")
                ? " (tenant " + details.get("tenant").asText() + ")"
                : "")
            + ", roles "
            + details.path("roles")
            + ".");
    out.println(
        "Token saved to "
            + file
            + (details.has("expires_at")
                ? "; it expires " + details.get("expires_at").asText()
                : "")
            + ".");
    return 0;
  }
}
