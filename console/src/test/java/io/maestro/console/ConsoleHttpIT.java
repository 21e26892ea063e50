package io.maestro.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's HTTP edge against a real dev-mode server, without a browser: the redirects, the
 * security headers, the session cookie's flags, CSRF refusal and sign-out.
 */
class ConsoleHttpIT {
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

  static String cookie(HttpResponse<?> res) {
    String set = res.headers().firstValue("Set-Cookie").orElseThrow();
    return set.substring(0, set.indexOf(';'));
  }

  static String csrf(String html) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).as("the page has a CSRF field").isTrue();
    return m.group(1);
  }

  String signIn(String tenant, String role) {
    var res =
        server.page(
            "POST",
            "/console/signin",
            null,
            "mode=dev&tenant=" + tenant + "&role=" + role + "&create=true");
    assertThat(res.statusCode()).isEqualTo(303);
    return cookie(res);
  }

  @Test
  void rootRedirectsToTheConsoleAndAStrangerToTheSignInForm() {
    var root = server.page("GET", "/", null, null);
    assertThat(root.statusCode()).isEqualTo(303);
    assertThat(root.headers().firstValue("Location")).hasValue("/console");
    var console = server.page("GET", "/console", null, null);
    assertThat(console.headers().firstValue("Location")).hasValue("/console/signin");
    var runs = server.page("GET", "/console/runs", null, null);
    assertThat(runs.statusCode()).isEqualTo(303);
    assertThat(runs.headers().firstValue("Location")).hasValue("/console/signin");
  }

  @Test
  void pagesAndAssetsCarryAStrictContentSecurityPolicyAndRefuseFraming() {
    for (String path :
        new String[] {
          "/console/signin", "/console/assets/htmx.min.js", "/console/assets/console.css"
        }) {
      var res = server.page("GET", path, null, null);
      assertThat(res.statusCode()).as(path).isEqualTo(200);
      String csp = res.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(csp)
          .contains("script-src 'self'")
          .contains("frame-ancestors 'none'")
          .doesNotContain("unsafe-inline");
      assertThat(res.headers().firstValue("X-Frame-Options")).hasValue("DENY");
      assertThat(res.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
    assertThat(server.page("GET", "/console/signin", null, null).body())
        .doesNotContain("<script>")
        .doesNotContain("style=");
    assertThat(server.page("GET", "/console/assets/nope.js", null, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void theSessionCookieIsHttpOnlyAndLaxAndAWrongTokenIsRefused() {
    var res =
        server.page(
            "POST", "/console/signin", null, "mode=dev&tenant=acme&role=operator&create=true");
    String set = res.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(set)
        .startsWith("maestro_console=")
        .contains("HttpOnly")
        .contains("SameSite=Lax")
        .contains("Path=/console");
    assertThat(set).doesNotContain("Secure"); // plain HTTP here; Secure is set over TLS

    var forged = server.page("POST", "/console/signin", null, "mode=token&token=not.a.jwt");
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void aFormWithoutItsCsrfTokenIsRefusedBeforeAnyApiCall() {
    String cookie = signIn("", "conductor_admin");
    var res = server.page("POST", "/console/tenants", cookie, "id=sneaky");
    assertThat(res.statusCode()).isEqualTo(403);
    assertThat(res.body()).contains("csrf_mismatch");
    var tenants = server.page("GET", "/console/tenants", cookie, null);
    assertThat(tenants.body()).doesNotContain("sneaky");

    var ok =
        server.page(
            "POST", "/console/tenants", cookie, "csrf=" + csrf(tenants.body()) + "&id=wanted");
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(ok.headers().firstValue("Location")).hasValue("/console/tenants/wanted");
  }

  @Test
  void aReadOnlyUserIsNotOfferedTheDemoAndThePolicyRefusesItAnyway() {
    String cookie = signIn("acme", "read_only");
    var tenants = server.page("GET", "/console/tenants", cookie, null);
    assertThat(tenants.body()).doesNotContain("Create demo tenant");
    var res = server.page("POST", "/console/demo", cookie, "csrf=" + csrf(tenants.body()));
    assertThat(res.statusCode()).isEqualTo(403);
    assertThat(res.body()).contains("policy_denied").contains("decision");

    String admin = signIn("", "conductor_admin");
    assertThat(server.page("GET", "/console/tenants", admin, null).body())
        .contains("Create demo tenant");
  }

  @Test
  void signOutEndsTheSession() {
    String cookie = signIn("acme", "read_only");
    var runs = server.page("GET", "/console/runs", cookie, null);
    assertThat(runs.statusCode()).isEqualTo(200);
    var out = server.page("POST", "/console/signout", cookie, "csrf=" + csrf(runs.body()));
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
  }

  @Test
  void aReadOnlyUserSeesNoTenantWriteControlsAndCannotCreateOne() {
    String cookie = signIn("acme", "read_only");
    var tenants = server.page("GET", "/console/tenants", cookie, null);
    assertThat(tenants.body()).contains("acme").doesNotContain("Create a tenant");
    var tenant = server.page("GET", "/console/tenants/acme", cookie, null);
    assertThat(tenant.body()).doesNotContain("Set quotas").doesNotContain("Rollback config");
    var res =
        server.page(
            "POST", "/console/tenants", cookie, "csrf=" + csrf(tenants.body()) + "&id=mine");
    assertThat(res.body()).contains("Refused").contains("policy_denied");
  }

  @Test
  void aRunsLogStreamsAsServerSentEvents_resumesAfterTheLastEventId_andEnds() throws Exception {
    String operator = server.token("acme", "tenant_admin");
    String run =
        server.publishAndRun(
            operator,
            "two-lines",
            "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: two-lines, version: \"1\"}\n"
                + "spec:\n  tasks:\n    - {id: a, uses: core/log, with: {message: first-line}}\n"
                + "    - {id: b, uses: core/log, needs: [a], with: {message: second-line}}\n");
    server.awaitStep(operator, run, "b", "SUCCEEDED");
    String cookie = signIn("acme", "read_only");

    var res = server.page("GET", "/console/runs/" + run + "/logs/stream", cookie, null);
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    assertThat(res.headers().firstValue("Content-Security-Policy")).isPresent();
    String body = res.body();
    assertThat(body).contains("event: log\ndata: {").contains("first-line").contains("second-line");
    assertThat(body).endsWith("event: end\ndata: {}\n\n");
    Matcher ids = Pattern.compile("(?m)^id: (\\d+)$").matcher(body);
    long last = 0;
    while (ids.find()) {
      last = Long.parseLong(ids.group(1));
    }
    assertThat(last).isPositive();

    var resumed =
        server.page("GET", "/console/runs/" + run + "/logs/stream?after=" + last, cookie, null);
    assertThat(resumed.body()).doesNotContain("event: log").contains("event: end");

    String stranger = signIn("initech", "tenant_admin");
    var foreign = server.page("GET", "/console/runs/" + run + "/logs/stream", stranger, null);
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(foreign.body()).doesNotContain("first-line");
  }

  @Test
  void lifecycle_showsPurgesWithApprovalsAndTheirManifestVerifiedInThePage() throws Exception {
    String ana = server.token("tidy", "tenant_admin", "ana@tidy");
    String bo = server.token("tidy", "tenant_admin", "bo@tidy");
    String cy = server.token("tidy", "tenant_admin", "cy@tidy");
    server.publishAndRun(
        ana,
        "gone",
        "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: gone, version: \"1\"}\n"
            + "spec:\n  tasks:\n    - {id: a, uses: core/log, with: {message: hi}}\n");
    JsonNode purge =
        server.call(
            "POST",
            "/api/purges",
            ana,
            "{\"scope\": \"runs\", \"before\": \"2999-01-01\", \"reason\": \"DSR-7\","
                + " \"delay\": \"0s\"}",
            "application/json");
    String id = purge.path("id").asText();
    server.call("POST", "/api/purges/" + id + "/approve", bo, "{}", "application/json");
    server.call("POST", "/api/purges/" + id + "/approve", cy, "{}", "application/json");
    for (int i = 0; i < 100; i++) {
      if (server.call("GET", "/api/purges/" + id, ana, null, null).has("manifest_digest")) {
        break;
      }
      Thread.sleep(100);
    }
    String cookie = signIn("tidy", "read_only");
    var page = server.page("GET", "/console/lifecycle", cookie, null);
    assertThat(page.statusCode()).isEqualTo(200);
    Matcher row =
        Pattern.compile("(?s)<tr id=\"purge-" + Pattern.quote(id) + "\">(.*?)</tr>")
            .matcher(page.body());
    assertThat(row.find()).as("a row for purge " + id).isTrue();
    assertThat(row.group(1))
        .contains(">executed<")
        .contains("2/2")
        .contains("bo@tidy")
        .contains("<span class=\"verified\">verified</span>");
    assertThat(page.body()).contains("id=\"retention\"").contains("href=\"/console/lifecycle\"");
  }

  @Test
  void controlCoverage_showsEachControlsStatusAndLinksItsEvidenceReceipts() throws Exception {
    String admin = server.token("coverage", "tenant_admin");
    server.publishAndRun(
        admin,
        "covered",
        "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: covered, version: \"1\"}\n"
            + "spec:\n  tasks:\n    - {id: a, uses: core/log, with: {message: hi}}\n");
    String cookie = signIn("coverage", "read_only");
    // The run's last receipts may still be arriving: compare the page with the API only when the
    // API answered the same before and after the page was rendered.
    var page = server.page("GET", "/console/compliance", cookie, null);
    JsonNode api = server.call("GET", "/api/compliance/controls", admin, null, null);
    for (int i = 0; i < 50; i++) {
      JsonNode before = server.call("GET", "/api/compliance/controls", admin, null, null);
      page = server.page("GET", "/console/compliance", cookie, null);
      api = server.call("GET", "/api/compliance/controls", admin, null, null);
      if (statuses(before).equals(statuses(api))) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(api.path("controls").size()).isGreaterThan(5);
    for (JsonNode c : api.path("controls")) {
      String id = c.path("id").asText();
      Matcher row =
          Pattern.compile("(?s)<tr id=\"control-" + Pattern.quote(id) + "\">(.*?)</tr>")
              .matcher(page.body());
      assertThat(row.find()).as("a row for control " + id).isTrue();
      assertThat(row.group(1)).contains(">" + c.path("status").asText() + "<");
      for (JsonNode e : c.path("evidence")) {
        if (e.path("found").asBoolean()) {
          String receipt = e.path("receipt").asText().replace("/api/receipts/", "");
          assertThat(row.group(1)).contains("href=\"/console/receipts/" + receipt + "\"");
        }
      }
    }
    // change-management has evidence once a workflow was published and run.
    JsonNode change = api.path("controls").get(0);
    assertThat(change.path("id").asText()).isEqualTo("change-management");
    assertThat(change.path("status").asText()).isIn("met", "partial");
    assertThat(page.body()).contains("id=\"residency-none\"");
    assertThat(page.body()).contains("href=\"/console/compliance\"");
  }

  /** Each control's status and the evidence it found, as the API reports them. */
  private static String statuses(JsonNode controls) {
    StringBuilder out = new StringBuilder();
    for (JsonNode c : controls.path("controls")) {
      out.append(c.path("id").asText()).append('=').append(c.path("status").asText());
      c.path("evidence").forEach(e -> out.append(',').append(e.path("found").asBoolean()));
      out.append(';');
    }
    return out.toString();
  }

  @Test
  void complianceBundleDownload_isTheApisBundleForTheFormsWindow_andThePackDownloads()
      throws Exception {
    String admin = server.token("bundling", "tenant_admin");
    server.publishAndRun(
        admin,
        "bundled",
        "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: bundled, version: \"1\"}\n"
            + "spec:\n  tasks:\n    - {id: a, uses: core/log, with: {message: hi}}\n");
    String cookie = signIn("bundling", "tenant_admin");
    var page = server.page("GET", "/console/compliance", cookie, null);
    assertThat(page.body())
        .contains("id=\"bundle-form\"")
        .contains("action=\"/console/compliance/bundle\"")
        .contains("href=\"/console/compliance/pack\"");

    String from = java.time.Instant.now().minusSeconds(3600).toString();
    String to = java.time.Instant.now().minusSeconds(1).toString();
    String query =
        "?from="
            + java.net.URLEncoder.encode(from, java.nio.charset.StandardCharsets.UTF_8)
            + "&to="
            + java.net.URLEncoder.encode(to, java.nio.charset.StandardCharsets.UTF_8);
    var download = server.page("GET", "/console/compliance/bundle" + query, cookie, null);
    assertThat(download.statusCode()).as(download.body()).isEqualTo(200);
    assertThat(download.headers().firstValue("Content-Type")).hasValue("application/gzip");
    assertThat(download.headers().firstValue("Content-Disposition").orElse(""))
        .contains("bundling-compliance.tar.gz");
    java.net.http.HttpResponse<byte[]> direct =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.base + "/api/compliance/bundle" + query))
                    .header("Authorization", "Bearer " + admin)
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(direct.statusCode()).isEqualTo(200);
    // A window that has ended bundles to the same bytes: the console relayed the API's bundle.
    assertThat(download.headers().firstValue("X-Maestro-SHA256"))
        .isPresent()
        .isEqualTo(direct.headers().firstValue("X-Maestro-SHA256"));

    var reversed =
        server.page(
            "GET",
            "/console/compliance/bundle?from="
                + java.net.URLEncoder.encode(to, java.nio.charset.StandardCharsets.UTF_8)
                + "&to="
                + java.net.URLEncoder.encode(from, java.nio.charset.StandardCharsets.UTF_8),
            cookie,
            null);
    assertThat(reversed.statusCode()).isEqualTo(422);
    assertThat(reversed.body()).contains("evidence_window_invalid");

    var pack = server.page("GET", "/console/compliance/pack", cookie, null);
    assertThat(pack.statusCode()).as(pack.body()).isEqualTo(200);
    assertThat(pack.headers().firstValue("Content-Disposition").orElse(""))
        .contains("bundling-compliance-pack.tar.gz");
    assertThat(pack.headers().firstValue("X-Maestro-Pack-At")).isPresent();

    String viewer = signIn("bundling", "read_only");
    assertThat(server.page("GET", "/console/compliance", viewer, null).body())
        .doesNotContain("bundle-form");
    var refused = server.page("GET", "/console/compliance/bundle" + query, viewer, null);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("policy_denied");
  }

  @Test
  void disclosureDownload_isTheApisPackForTheFormsRegionAndWithheldPaths() throws Exception {
    String admin = server.token("disclosing", "tenant_admin");
    String run =
        server.publishAndRun(
            admin,
            "disclosed",
            "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: disclosed, version: \"1\"}\n"
                + "spec:\n  tasks:\n    - {id: a, uses: core/noop, with: {card: 4111}}\n");
    server.awaitStep(admin, run, "a", "SUCCEEDED");
    Thread.sleep(200);
    String cookie = signIn("disclosing", "tenant_admin");
    var runPage = server.page("GET", "/console/runs/" + run, cookie, null);
    assertThat(runPage.body())
        .contains("id=\"disclosure-form\"")
        .contains("action=\"/console/runs/" + run + "/disclosure\"");

    String query =
        "?region=US&withhold="
            + java.net.URLEncoder.encode(
                "$.steps[*].outputs", java.nio.charset.StandardCharsets.UTF_8);
    var download = server.page("GET", "/console/runs/" + run + "/disclosure" + query, cookie, null);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValue("Content-Type")).hasValue("application/gzip");
    assertThat(download.headers().firstValue("Content-Disposition").orElse(""))
        .contains(run + "-disclosure.tar.gz");
    java.net.http.HttpResponse<byte[]> direct =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            server.base + "/api/runs/" + run + "/disclosure" + query))
                    .header("Authorization", "Bearer " + admin)
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(direct.statusCode()).isEqualTo(200);
    // Packs are reproducible: the console relayed exactly the API's pack for that scope.
    assertThat(download.headers().firstValue("X-Maestro-SHA256"))
        .isEqualTo(direct.headers().firstValue("X-Maestro-SHA256"))
        .isPresent();

    var unmatched =
        server.page(
            "GET", "/console/runs/" + run + "/disclosure?withhold=%24.nothing", cookie, null);
    assertThat(unmatched.statusCode()).isEqualTo(422);
    assertThat(unmatched.body()).contains("evidence_withhold_unmatched");

    String viewer = signIn("disclosing", "read_only");
    assertThat(server.page("GET", "/console/runs/" + run, viewer, null).body())
        .doesNotContain("disclosure-form");
    var refused = server.page("GET", "/console/runs/" + run + "/disclosure", viewer, null);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("policy_denied");
  }
}
