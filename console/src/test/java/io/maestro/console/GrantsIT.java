package io.maestro.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.console.session.Me;
import io.maestro.console.web.Grants;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console draws the operations views' controls from {@link Grants}; this asks the server's own
 * policy (the canon bundle, through {@code POST /api/policy/simulate}) about every role and action
 * of that table, so the table cannot drift from the rbac pack unnoticed.
 */
class GrantsIT {
  static final List<String> ROLES =
      List.of(
          "conductor_admin",
          "support",
          "tenant_admin",
          "operator",
          "workflow_reviewer",
          "workflow_author",
          "read_only");
  static final Set<String> PLATFORM = Set.of("conductor_admin", "support");

  @TempDir static Path dataDir;
  static ConsoleServer server;

  @BeforeAll
  static void start() {
    server = ConsoleServer.start(dataDir);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyRoleAndActionOfTheTable_isWhatTheRbacPackDecides() {
    String admin = server.token(null, "conductor_admin");
    List<String> actions = List.copyOf(new TreeSet<>(Grants.actions()));
    List<String> mismatches = new ArrayList<>();
    for (String role : ROLES) {
      ObjectNode body = ConsoleServer.JSON.createObjectNode();
      ArrayNode scenarios = body.putArray("scenarios");
      for (String action : actions) {
        ObjectNode s = scenarios.addObject();
        s.put("name", action);
        s.put("action", action);
        s.put("profile", "internal-default");
        ObjectNode actor = s.putObject("actor");
        actor.put("sub", "who@acme");
        actor.putArray("roles").add(role);
        if (!PLATFORM.contains(role)) {
          actor.put("tenant", "acme");
        }
        s.putObject("resource").put("type", "workflow").put("tenant", "acme");
      }
      JsonNode results =
          server
              .call("POST", "/api/policy/simulate", admin, body.toString(), "application/json")
              .path("results");
      assertThat(results.size()).isEqualTo(actions.size());
      Me me = new Me("who@acme", PLATFORM.contains(role) ? "" : "acme", List.of(role), "");
      for (JsonNode r : results) {
        String action = r.path("scenario").asText();
        boolean refusedForRole = false;
        for (JsonNode why : r.path("decision").path("reasons")) {
          String code = why.path("code").asText();
          refusedForRole |=
              code.equals("role_not_permitted") || code.equals("kill_switch_not_permitted");
        }
        if (Grants.may(me, action) == refusedForRole) {
          mismatches.add(role + " " + action + ": table says " + Grants.may(me, action));
        }
      }
    }
    assertThat(mismatches).as("the table agrees with the rbac pack").isEmpty();
    assertThat(actions).contains("workflow.kill", "schedule.write", "policy.simulate");
  }
}
