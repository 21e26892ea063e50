package io.maestro.cli.login;

import io.maestro.cli.UserError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** What a dev token says: tenant, roles, subject, ABAC attributes, lifetime. */
public final class DevTokenOptions {
  @Option(
      names = "--tenant",
      paramLabel = "TENANT",
      description =
          "Tenant of the token (it must exist unless --create). Omit for a token without"
              + " tenant_id.")
  String tenant;

  @Option(names = "--create", description = "Provision the tenant if it does not exist yet.")
  boolean create;

  @Option(
      names = "--role",
      paramLabel = "ROLE",
      description =
          "A role (repeatable): tenant_admin, workflow_author, workflow_reviewer, operator,"
              + " read_only, worker, or the platform roles conductor_admin, support.")
  List<String> roles = new ArrayList<>();

  @Option(
      names = "--subject",
      paramLabel = "SUB",
      description = "Subject (sub) of the token (default: <user>@<tenant>).")
  String subject;

  @Option(
      names = "--attr",
      paramLabel = "KEY=VALUE",
      description =
          "An ABAC attribute (repeatable): environment, region, risk_profile,"
              + " business_unit, data_sensitivity, worker_queues (a worker's queues, e.g."
              + " worker_queues=billing,refunds).")
  List<String> attributes = new ArrayList<>();

  @Option(
      names = "--ttl-minutes",
      paramLabel = "N",
      description = "Lifetime of the token in minutes (default 720).")
  Integer ttlMinutes;

  /** The body of {@code POST /api/dev/token}. */
  public Map<String, Object> request() {
    Map<String, Object> body = new LinkedHashMap<>();
    if (tenant != null) {
      body.put("tenant", tenant);
    }
    body.put("roles", roles);
    String user = System.getProperty("user.name", "dev");
    body.put(
        "subject", subject != null ? subject : user + "@" + (tenant != null ? tenant : "platform"));
    Map<String, String> attrs = new LinkedHashMap<>();
    for (String a : attributes) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new UserError("--attr takes KEY=VALUE, got '" + a + "'", 2);
      }
      attrs.put(a.substring(0, eq), a.substring(eq + 1));
    }
    if (!attrs.isEmpty()) {
      body.put("attributes", attrs);
    }
    if (ttlMinutes != null) {
      body.put("ttl_minutes", ttlMinutes);
    }
    body.put("create", create);
    return body;
  }

  /** Asks the dev issuer for a token, explaining an unknown tenant in terms of these options. */
  public com.fasterxml.jackson.databind.JsonNode issue(AuthClient api) {
    return api.call(
        "POST",
        "/api/dev/token",
        request(),
        java.util.Optional.empty(),
        problem ->
            "tenant_not_found".equals(problem.path("code").asText())
                ? java.util.Optional.of(
                    "tenant " + tenant + " does not exist; add --create to provision it")
                : java.util.Optional.empty());
  }
}
