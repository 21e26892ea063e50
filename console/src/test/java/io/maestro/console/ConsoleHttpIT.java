package io.maestro.console;

import static org.assertj.core.api.Assertions.assertThat;

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
}
