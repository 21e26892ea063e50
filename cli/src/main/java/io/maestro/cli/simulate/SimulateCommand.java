package io.maestro.cli.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ClientOptions;
import io.maestro.cli.client.Credentials;
import io.maestro.cli.login.AuthClient;
import io.maestro.core.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code maestro policy simulate scenarios.yaml}: asks the server's policy what it would decide for
 * each scenario, with no side effects ({@code POST /api/policy/simulate}). {@code --profile} and
 * {@code --edition} ask what another profile or edition would decide.
 *
 * <pre>
 * profile: hosted-saas          # default for scenarios that name none
 * edition: saas
 * scenarios:
 *   - name: Can a workflow_author start a high-risk workflow in SaaS prod?
 *     actor: {sub: ann@acme, roles: [workflow_author], tenant: acme}
 *     action: workflow.run
 *     resource: {type: workflow, tenant: acme, attributes: {environment: prod, risk_profile: high}}
 * </pre>
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro policy simulate examples/policy/high-risk-prod.yaml",
      "  maestro policy simulate scenarios.yaml --profile regulated --json"
    },
    description = {
      "Ask policy what it would decide for each scenario in a YAML file, without side effects.",
      "Exit code 0 when every scenario was decided (allowed or not)."
    })
public final class SimulateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ClientOptions client;

  @Parameters(index = "0", paramLabel = "SCENARIOS.yaml", description = "The scenarios.")
  Path file;

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      description = "Decide every scenario under this profile.")
  String profile;

  @Option(
      names = "--edition",
      paramLabel = "EDITION",
      description = "internal, white-label or saas.")
  String edition;

  @Option(names = "--json", description = "Print the server's answer as JSON.")
  boolean json;

  @Option(
      names = "--token",
      paramLabel = "JWT",
      description = "Token (default: $MAESTRO_TOKEN or maestro login's).")
  String token;

  @Override
  public Integer call() throws IOException {
    JsonNode doc;
    try {
      doc = Json.YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UserError(
          "cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""), 2);
    }
    if (doc == null || !doc.path("scenarios").isArray()) {
      throw new UserError(file + ": expected a mapping with a list of scenarios", 2);
    }
    ObjectNode body = ((ObjectNode) doc).deepCopy();
    if (profile != null) {
      body.put("profile", profile);
      body.withArray("scenarios").forEach(s -> ((ObjectNode) s).put("profile", profile));
    }
    if (edition != null) {
      body.put("edition", edition);
      body.withArray("scenarios").forEach(s -> ((ObjectNode) s).put("edition", edition));
    }
    String bearer =
        Credentials.bearer(Optional.ofNullable(token), ClientOptions.home())
            .orElseThrow(
                () -> new UserError("not signed in: run maestro login first or pass --token"));
    JsonNode answer =
        new AuthClient(client.serverUrl())
            .call("POST", "/api/policy/simulate", body, Optional.of(bearer));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.PRETTY.writeValueAsString(answer));
      return 0;
    }
    for (JsonNode r : answer.path("results")) {
      JsonNode d = r.path("decision");
      out.printf(
          "%s  %s  [%s%s]%n",
          d.path("allow").asBoolean() ? "ALLOW" : "DENY ",
          r.path("scenario").asText(),
          r.path("profile").asText(),
          r.hasNonNull("edition") ? ", " + r.get("edition").asText() : "");
      for (JsonNode reason : d.path("reasons")) {
        out.printf(
            "       - %s: %s%n", reason.path("code").asText(), reason.path("message").asText());
      }
    }
    return 0;
  }
}
