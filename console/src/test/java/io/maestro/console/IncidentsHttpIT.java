package io.maestro.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.governance.Bucketing;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incidents views against a real breach: a canary whose steps fail is ramped to 10 %, the
 * rollback controller (checking every second here) rolls it back and opens an incident; the console
 * lists it and shows its timeline with each step's receipt, a viewer gets no close form, and an
 * operator closes it from the page.
 */
class IncidentsHttpIT {
  @TempDir static Path dataDir;
  static ConsoleServer server;

  @BeforeAll
  static void start() {
    server = ConsoleServer.start(dataDir, FAST_ROLLBACK);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static String manifest(String version, String task) {
    return "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: shop, version: \"%s\"}\nspec:\n  tasks:\n    %s\n"
        .formatted(version, task);
  }

  static JsonNode await(ConsoleServer server, String token, String path, Predicate<JsonNode> done)
      throws InterruptedException {
    JsonNode last = null;
    for (int i = 0; i < 600; i++) {
      last = server.call("GET", path, token, null, null);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out waiting on " + path + ": " + last);
  }

  /** Rolls a failing canary of {@code tenant} back and returns the incident it opened. */
  static String breach(ConsoleServer server, String tenant) throws InterruptedException {
    String admin = server.token(tenant, "tenant_admin");
    for (String[] v :
        new String[][] {
          {"1", "- {id: pay, uses: core/log, with: {message: paid}}"},
          {"2", "- {id: pay, uses: core/fail, with: {message: card service down}}"}
        }) {
      server.call(
          "PUT",
          "/api/workflows/shop/versions/" + v[0],
          admin,
          manifest(v[0], v[1]),
          "application/yaml");
      server.call(
          "POST",
          "/api/workflows/shop/versions/" + v[0] + "/publish",
          admin,
          "{}",
          "application/json");
    }
    server.call(
        "PUT", "/api/ramps/shop", admin, "{\"percent\":10,\"version\":\"2\"}", "application/json");
    int started = 0;
    for (int i = 0; started < 3; i++) {
      String key = "order-" + i;
      if (Bucketing.bucket(tenant, "shop", key) < 10) {
        server.call(
            "POST",
            "/api/runs",
            admin,
            "{\"workflow\":\"shop\",\"version\":\"2\",\"idempotencyKey\":\"" + key + "\"}",
            "application/json");
        started++;
      }
    }
    JsonNode list =
        await(server, admin, "/api/incidents?status=open", b -> b.path("items").size() == 1);
    return list.path("items").get(0).path("id").asText();
  }

  /** The rollback controller's settings that make a breach show within seconds. */
  static final Map<String, String> FAST_ROLLBACK =
      Map.of(
          "governance.rollback.intervalSeconds", "1",
          "governance.rollback.minRuns", "3",
          "governance.rollback.shortWindowSeconds", "60",
          "governance.rollback.longWindowSeconds", "600");

  @Test
  void aRolledBackCanarysIncident_isListed_itsTimelineLinksReceipts_andAnOperatorClosesIt()
      throws Exception {
    String admin = server.token("breached", "tenant_admin");
    String id = breach(server, "breached");
    JsonNode incident =
        await(server, admin, "/api/incidents/" + id, b -> b.path("timeline").size() >= 2);

    String viewer = signIn("breached", "read_only");
    var page = server.page("GET", "/console/incidents", viewer, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("<tr id=\"incident-" + id + "\">")
        .contains("href=\"/console/incidents/" + id + "\"");
    var detail = server.page("GET", "/console/incidents/" + id, viewer, null);
    assertThat(detail.statusCode()).isEqualTo(200);
    for (JsonNode step : incident.path("timeline")) {
      assertThat(detail.body())
          .contains("<strong>" + step.path("kind").asText() + "</strong>")
          .contains("href=\"/console/receipts/" + step.path("receipt_id").asText() + "\"");
    }
    assertThat(detail.body())
        .contains("<strong>breach_detected</strong>")
        .contains("short.failed: 3")
        .doesNotContain("Close incident");
    var refused =
        server.page(
            "POST",
            "/console/incidents/" + id + "/close",
            viewer,
            "csrf=" + ConsoleHttpIT.csrf(detail.body()));
    assertThat(refused.body()).contains("Refused").contains("policy_denied");

    String operator = signIn("breached", "operator");
    var mine = server.page("GET", "/console/incidents/" + id, operator, null);
    assertThat(mine.body()).contains("Close incident");
    var closed =
        server.page(
            "POST",
            "/console/incidents/" + id + "/close",
            operator,
            "csrf=" + ConsoleHttpIT.csrf(mine.body()) + "&comment=rolled+back");
    assertThat(closed.body())
        .contains("Incident closed.")
        .contains("id=\"incident-status\">closed<");
    JsonNode after = server.call("GET", "/api/incidents/" + id, admin, null, null);
    JsonNode last = after.path("timeline").get(after.path("timeline").size() - 1);
    assertThat(closed.body())
        .contains("receipt <code>" + last.path("receipt_id").asText() + "</code>");

    var filtered = server.page("GET", "/console/incidents?status=open", operator, null);
    assertThat(filtered.body()).doesNotContain("<tr id=\"incident-" + id + "\">");
    String stranger = signIn("unbreached", "tenant_admin");
    assertThat(server.page("GET", "/console/incidents/" + id, stranger, null).statusCode())
        .isEqualTo(404);
  }

  private String signIn(String tenant, String role) {
    var res =
        server.page(
            "POST",
            "/console/signin",
            null,
            "mode=dev&tenant=" + tenant + "&role=" + role + "&create=true");
    assertThat(res.statusCode()).isEqualTo(303);
    return ConsoleHttpIT.cookie(res);
  }
}
