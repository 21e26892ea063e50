package io.maestro.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations views (policy, usage, governance, schedules) against a real dev-mode server and
 * its real API: each page shows what the API answers, each change goes through the API with its
 * receipt shown, a role without a write sees no control for it and is refused by the API when it
 * posts anyway, and every navigation item leads to a working page.
 */
class OperationsHttpIT {
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

  static final String ONE_STEP =
      "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: %s, version: \"1\"}\n"
          + "spec:\n  tasks:\n    - {id: a, uses: core/log, with: {message: hi}}\n";

  String signIn(String tenant, String role) {
    return signIn(tenant, role, "");
  }

  String signIn(String tenant, String role, String subject) {
    var res =
        server.page(
            "POST",
            "/console/signin",
            null,
            "mode=dev&tenant=" + tenant + "&role=" + role + "&create=true&subject=" + subject);
    assertThat(res.statusCode()).isEqualTo(303);
    return ConsoleHttpIT.cookie(res);
  }

  HttpResponse<String> get(String path, String cookie) {
    return server.page("GET", path, cookie, null);
  }

  /** Posts a form from {@code page} (its CSRF token) to {@code path}. */
  HttpResponse<String> post(String path, String cookie, String pageHtml, String fields) {
    return server.page("POST", path, cookie, "csrf=" + ConsoleHttpIT.csrf(pageHtml) + "&" + fields);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The receipt id the flash message names. */
  static String flashReceipt(String html) {
    Matcher m =
        Pattern.compile("class=\"flash ok\"(?s).*?receipt <code>([^<]+)</code>").matcher(html);
    assertThat(m.find()).as("a flash with a receipt in " + html).isTrue();
    return m.group(1);
  }

  static List<String> navHrefs(String html) {
    Matcher nav = Pattern.compile("(?s)<nav aria-label=\"Main\".*?</nav>").matcher(html);
    assertThat(nav.find()).isTrue();
    Matcher a = Pattern.compile("href=\"([^\"]+)\"").matcher(nav.group());
    List<String> out = new ArrayList<>();
    while (a.find()) {
      out.add(a.group(1));
    }
    return out;
  }

  @Test
  void everyNavigationItemOfEveryRole_leadsToAWorkingPage() {
    for (String role :
        List.of("tenant_admin", "operator", "workflow_reviewer", "workflow_author", "read_only")) {
      String cookie = signIn("navigated", role);
      List<String> hrefs = navHrefs(get("/console/runs", cookie).body());
      for (String href : hrefs) {
        var res = get(href, cookie);
        assertThat(res.statusCode()).as(role + " " + href + ": " + res.body()).isEqualTo(200);
      }
      switch (role) {
        case "read_only" ->
            assertThat(hrefs)
                .contains(
                    "/console/policy",
                    "/console/usage",
                    "/console/governance",
                    "/console/incidents",
                    "/console/schedules");
        case "operator" ->
            assertThat(hrefs)
                .contains("/console/governance", "/console/schedules")
                .doesNotContain("/console/policy", "/console/usage");
        case "workflow_author" ->
            assertThat(hrefs)
                .contains("/console/policy", "/console/schedules")
                .doesNotContain("/console/usage", "/console/governance");
        default -> {}
      }
    }
    // Platform users: the policy catalog, and no tenant-scoped operations view.
    for (String role : List.of("conductor_admin", "support")) {
      String cookie = signIn("", role);
      List<String> hrefs = navHrefs(get("/console/tenants", cookie).body());
      assertThat(hrefs)
          .contains("/console/policy")
          .doesNotContain("/console/usage", "/console/governance");
      for (String href : hrefs) {
        var res = get(href, cookie);
        assertThat(res.statusCode()).as(role + " " + href + ": " + res.body()).isEqualTo(200);
      }
    }
    // A view the role may not read is refused by the API, not drawn empty.
    String operator = signIn("navigated", "operator");
    var usage = get("/console/usage", operator);
    assertThat(usage.statusCode()).isEqualTo(403);
    assertThat(usage.body()).contains("policy_denied");
  }

  @Test
  void policy_listsThePacksAndProfilesOfTheApi_withTheTenantsProfileAndEachPacksPage() {
    String admin = server.token("policed", "tenant_admin");
    JsonNode packs = server.call("GET", "/api/policy-packs", admin, null, null);
    JsonNode profiles = server.call("GET", "/api/policy-profiles", admin, null, null);
    String viewer = signIn("policed", "read_only");
    var page = get("/console/policy", viewer);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(packs.path("items").size()).isGreaterThan(5);
    for (JsonNode p : packs.path("items")) {
      assertThat(page.body()).contains("<tr id=\"pack-" + p.path("id").asText() + "\">");
    }
    for (JsonNode p : profiles.path("items")) {
      assertThat(page.body()).contains("<tr id=\"profile-" + p.path("id").asText() + "\">");
    }
    assertThat(page.body())
        .contains("id=\"bundle-revision\">" + packs.path("bundle").path("revision").asText() + "<")
        .contains("id=\"assigned-profile\">internal-default<")
        .doesNotContain("simulate-form");

    var rbac = get("/console/policy/packs/maestro.rbac", viewer);
    assertThat(rbac.statusCode()).isEqualTo(200);
    assertThat(rbac.body())
        .contains("<h2>Deny reasons</h2>")
        .contains("<th scope=\"col\">Code</th>")
        .contains("<code>role_not_permitted</code>")
        .contains("<pre class=\"logs\">");
    assertThat(get("/console/policy/packs/maestro.nope", viewer).statusCode()).isEqualTo(404);

    // A read-only user posting the simulation anyway is refused by the API.
    var refused =
        post(
            "/console/policy/simulate",
            viewer,
            page.body(),
            "action=workflow.run&role=operator&profile.internal-default=on");
    assertThat(refused.body()).contains("Refused").contains("policy_denied");
    assertThat(refused.body()).doesNotContain("id=\"simulation\"");
  }

  @Test
  void simulation_decidesTheScenarioUnderEachChosenProfile_asTheApiDoes() {
    String cookie = signIn("simulated", "tenant_admin");
    var page = get("/console/policy", cookie);
    assertThat(page.body()).contains("id=\"simulate-form\"");
    var res =
        post(
            "/console/policy/simulate",
            cookie,
            page.body(),
            "action=workflow.publish&role=read_only&resource_type=workflow"
                + "&profile.internal-default=on&profile.regulated=on");
    assertThat(res.statusCode()).isEqualTo(200);
    for (String profile : List.of("internal-default", "regulated")) {
      Matcher row =
          Pattern.compile("(?s)<tr id=\"sim-" + profile + "\">(.*?)</tr>").matcher(res.body());
      assertThat(row.find()).as("a result for " + profile).isTrue();
      assertThat(row.group(1)).contains(">deny<").contains("<code>role_not_permitted</code>");
    }
    assertThat(res.body()).doesNotContain("id=\"sim-partner-demo\"");

    var allowed =
        post(
            "/console/policy/simulate",
            cookie,
            page.body(),
            "action=workflow.run&role=operator&resource_type=workflow&profile.internal-default=on");
    String admin = server.token("simulated", "tenant_admin");
    JsonNode api =
        server.call(
            "POST",
            "/api/policy/simulate",
            admin,
            "{\"scenarios\":[{\"action\":\"workflow.run\",\"profile\":\"internal-default\","
                + "\"actor\":{\"sub\":\"simulated@simulated\",\"roles\":[\"operator\"],\"tenant\":\"simulated\"},"
                + "\"resource\":{\"type\":\"workflow\",\"tenant\":\"simulated\"}}]}",
            "application/json");
    boolean allow = api.path("results").get(0).path("decision").path("allow").asBoolean();
    assertThat(allowed.body())
        .containsPattern(
            "(?s)<tr id=\"sim-internal-default\">.*?>" + (allow ? "allow" : "deny") + "<");
  }

  @Test
  void usage_showsTheFinOpsApisTotalsGroupsDaysAndBudget() throws Exception {
    String admin = server.token("metered", "tenant_admin");
    String run = server.publishAndRun(admin, "billed", ONE_STEP.formatted("billed"));
    server.awaitStep(admin, run, "a", "SUCCEEDED");
    String cookie = signIn("metered", "read_only");
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    String window =
        "?from="
            + enc(java.time.LocalDate.parse(today).minusDays(29) + "T00:00:00Z")
            + "&to="
            + enc(java.time.LocalDate.parse(today).plusDays(1) + "T00:00:00Z");
    // Rollups fold every half second, and every API call (the console's own too) is metered: wait
    // for the run's usage, then check that the page's figures lie between two API reads around it.
    String usage = "/api/tenants/metered/usage" + window + "&groupBy=workflow,env";
    for (int i = 0; i < 100; i++) {
      if (server.call("GET", usage, admin, null, null).toString().contains("\"billed\"")) {
        break;
      }
      Thread.sleep(200);
    }
    JsonNode before = server.call("GET", usage, admin, null, null);
    HttpResponse<String> page = get("/console/usage", cookie);
    JsonNode after = server.call("GET", usage, admin, null, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(before.path("totals").size()).isPositive();
    String body = page.body();
    Matcher cost = Pattern.compile("id=\"usage-cost-exact\">([0-9.]+)<").matcher(body);
    assertThat(cost.find()).isTrue();
    assertThat(new java.math.BigDecimal(cost.group(1)))
        .isBetween(
            new java.math.BigDecimal(before.path("costUsd").asText()),
            new java.math.BigDecimal(after.path("costUsd").asText()));
    for (JsonNode t : before.path("totals")) {
      assertThat(body).contains("<code>" + t.path("type").asText() + "</code>");
    }
    assertThat(body).contains("<code>billed</code>");
    Matcher days = Pattern.compile("data-days=\"([^\"]*)\"").matcher(body);
    assertThat(days.find()).isTrue();
    assertThat(days.group(1).split(",")).hasSize(30);
    assertThat(body)
        .contains("src=\"/console/assets/uPlot.iife.min.js\"")
        .contains("src=\"/console/assets/usage-chart.js\"");
    JsonNode budget = server.call("GET", "/api/tenants/metered/budget", admin, null, null);
    assertThat(body)
        .contains(
            "id=\"budget-daily-max\">$"
                + budget
                    .path("dailyMaxUSD")
                    .decimalValue()
                    .setScale(2, java.math.RoundingMode.HALF_UP)
                + "<");
    var chart = get("/console/assets/uPlot.iife.min.js", null);
    assertThat(chart.statusCode()).isEqualTo(200);
    assertThat(chart.body()).contains("uPlot");

    var narrow = get("/console/usage?from=2020-01-01&to=2020-01-03", cookie);
    assertThat(narrow.body()).contains("No usage in this window.");
    var tooWide = get("/console/usage?from=2020-01-01&to=" + today, cookie);
    assertThat(tooWide.statusCode()).isEqualTo(200);
    assertThat(tooWide.body()).contains("Refused").contains("usage_range_too_long");
  }

  @Test
  void killSwitch_pulledFromThePage_isListedWithItsReceipt_andAViewerCanNeitherSeeNorPostIt() {
    String admin = server.token("governed", "tenant_admin");
    server.publishAndRun(admin, "shipit", ONE_STEP.formatted("shipit"));
    String cookie = signIn("governed", "tenant_admin");
    var page = get("/console/governance", cookie);
    assertThat(page.body()).contains("id=\"pull-form\"");
    var pulled =
        post(
            "/console/governance/kill-switches",
            cookie,
            page.body(),
            "scope=workflow&target=shipit&version=&mode=drain&reason=" + enc("bad deploy"));
    assertThat(pulled.statusCode()).isEqualTo(200);
    JsonNode switches = server.call("GET", "/api/kill-switches", admin, null, null);
    assertThat(switches.path("items").size()).isEqualTo(1);
    String id = switches.path("items").get(0).path("id").asText();
    String receipt = flashReceipt(pulled.body());
    JsonNode receipts =
        server.call("GET", "/api/receipts?type=kill_switch.pulled", admin, null, null);
    JsonNode r = receipts.path("receipts").get(receipts.path("receipts").size() - 1);
    assertThat(receipt).isEqualTo(r.path("id").asText());
    assertThat(r.path("subject").path("id").asText()).isEqualTo(id);
    assertThat(pulled.body())
        .contains("<tr id=\"switch-" + id + "\">")
        .contains("href=\"/console/receipts/" + receipt + "\"");

    String viewer = signIn("governed", "read_only");
    var seen = get("/console/governance", viewer);
    assertThat(seen.body())
        .contains("<tr id=\"switch-" + id + "\">")
        .doesNotContain("pull-form")
        .doesNotContain(">Release<")
        .doesNotContain("ramp-form")
        .doesNotContain("freeze-form")
        .doesNotContain("grant-form");
    var refused =
        post(
            "/console/governance/kill-switches",
            viewer,
            seen.body(),
            "scope=tenant&target=&mode=cancel&reason=x");
    assertThat(refused.body()).contains("Refused").contains("policy_denied");
    var refusedRelease =
        post("/console/governance/kill-switches/" + id + "/release", viewer, seen.body(), "");
    assertThat(refusedRelease.body()).contains("policy_denied");
    assertThat(server.call("GET", "/api/kill-switches", admin, null, null).path("items").size())
        .isEqualTo(1);

    var released =
        post("/console/governance/kill-switches/" + id + "/release", cookie, page.body(), "");
    assertThat(released.body()).contains("Kill switch " + id + " released.");
    assertThat(flashReceipt(released.body())).startsWith("rcp_");
    assertThat(server.call("GET", "/api/kill-switches", admin, null, null).path("items").size())
        .isZero();
  }

  @Test
  void rampsFreezesAndBreakGlass_changeThroughTheApi_eachWithItsReceipt() {
    String admin = server.token("ramped", "tenant_admin");
    server.publishAndRun(admin, "canary", ONE_STEP.formatted("canary"));
    String cookie = signIn("ramped", "tenant_admin");
    var page = get("/console/governance", cookie);

    var ramped =
        post(
            "/console/governance/ramps",
            cookie,
            page.body(),
            "workflow=canary&version=&percent=25");
    JsonNode history = server.call("GET", "/api/ramps/history?workflow=canary", admin, null, null);
    assertThat(flashReceipt(ramped.body()))
        .isEqualTo(history.path("items").get(0).path("receipt_id").asText());
    assertThat(ramped.body()).containsPattern("(?s)<tr id=\"ramp-canary\">.*?>25(\\.0+)? %<");

    String from = java.time.Instant.now().plus(java.time.Duration.ofDays(30)).toString();
    String to = java.time.Instant.now().plus(java.time.Duration.ofDays(31)).toString();
    var frozen =
        post(
            "/console/governance/freezes",
            cookie,
            page.body(),
            "kind=once&from=" + enc(from) + "&to=" + enc(to) + "&zone=&reason=" + enc("holidays"));
    JsonNode freezes = server.call("GET", "/api/freezes", admin, null, null);
    assertThat(freezes.path("items").size()).isEqualTo(1);
    String freeze = freezes.path("items").get(0).path("id").asText();
    assertThat(frozen.body()).contains("<tr id=\"freeze-" + freeze + "\">");
    assertThat(flashReceipt(frozen.body())).startsWith("rcp_");
    var bad =
        post(
            "/console/governance/freezes",
            cookie,
            page.body(),
            "kind=once&from=yesterday&to=tomorrow&zone=&reason=x");
    assertThat(bad.body()).contains("Refused").contains("freeze_window_invalid");
    var removed =
        post("/console/governance/freezes/" + freeze + "/remove", cookie, page.body(), "");
    assertThat(removed.body()).contains("Freeze window " + freeze + " removed.");
    assertThat(server.call("GET", "/api/freezes", admin, null, null).path("items").size()).isZero();

    var opened =
        post(
            "/console/governance/break-glass",
            cookie,
            page.body(),
            "actions=workflow.publish&for=30m&reason=" + enc("hotfix"));
    JsonNode grants = server.call("GET", "/api/break-glass", admin, null, null);
    String grant = grants.path("items").get(0).path("id").asText();
    assertThat(opened.body()).contains("<tr id=\"grant-" + grant + "\">");
    assertThat(flashReceipt(opened.body())).startsWith("rcp_");
    var closed =
        post("/console/governance/break-glass/" + grant + "/close", cookie, page.body(), "");
    assertThat(closed.body()).contains("Break-glass grant " + grant + " is closed.");
  }

  @Test
  void schedules_listedWithTheirNextTick_pausedWithAReceipt_andAViewerIsRefused() {
    String admin = server.token("timed", "tenant_admin");
    server.publishAndRun(admin, "nightly-job", ONE_STEP.formatted("nightly-job"));
    server.call(
        "POST",
        "/api/schedules",
        admin,
        "{\"id\":\"nightly\",\"workflow\":\"nightly-job\",\"cron\":\"0 3 * * *\"}",
        "application/json");
    String operator = signIn("timed", "operator");
    var page = get("/console/schedules", operator);
    JsonNode api = server.call("GET", "/api/schedules/nightly", admin, null, null);
    assertThat(page.body())
        .contains("<tr id=\"schedule-nightly\">")
        .contains(api.path("nextTick").asText())
        .contains("aria-label=\"Pause schedule nightly\"");

    var paused = post("/console/schedules/nightly/pause", operator, page.body(), "");
    assertThat(paused.body()).contains("Schedule nightly paused.");
    String receipt = flashReceipt(paused.body());
    JsonNode receipts = server.call("GET", "/api/receipts?type=schedule.paused", admin, null, null);
    assertThat(receipts.path("receipts").get(0).path("id").asText()).isEqualTo(receipt);
    assertThat(
            server
                .call("GET", "/api/schedules/nightly", admin, null, null)
                .path("paused")
                .asBoolean())
        .isTrue();

    String viewer = signIn("timed", "read_only");
    var seen = get("/console/schedules", viewer);
    assertThat(seen.body()).contains("<tr id=\"schedule-nightly\">").doesNotContain("Resume");
    var refused = post("/console/schedules/nightly/resume", viewer, seen.body(), "");
    assertThat(refused.body()).contains("Refused").contains("policy_denied");
    assertThat(
            server
                .call("GET", "/api/schedules/nightly", admin, null, null)
                .path("paused")
                .asBoolean())
        .isTrue();

    var detail = get("/console/schedules/nightly", operator);
    assertThat(detail.body()).contains("id=\"schedule-state\">paused<").contains("Resume schedule");
    var resumed = post("/console/schedules/nightly/resume", operator, detail.body(), "from=detail");
    assertThat(resumed.body()).contains("Schedule nightly resumed").contains("id=\"firings\"");
    assertThat(get("/console/schedules/nope", operator).statusCode()).isEqualTo(404);
    String stranger = signIn("elsewhere", "tenant_admin");
    assertThat(get("/console/schedules/nightly", stranger).statusCode()).isEqualTo(404);
  }
}
