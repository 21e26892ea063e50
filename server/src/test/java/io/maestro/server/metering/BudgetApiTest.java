package io.maestro.server.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Estimates and budgets end to end over real HTTP: two runs give the estimator history, {@code POST
 * /api/plan} prices the next one from it, a budget at 90% of spend plus estimate admits a run with
 * a warning (obligation, receipt), and a budget below spend plus estimate refuses the next start
 * with {@code budget_exceeded} as a logged, receipted policy decision.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BudgetApiTest {
  @TempDir static Path dir;
  static MaestroServer server;
  static Api api;
  static String admin;
  static String operator;

  static final String MANIFEST =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: budgeted, version: "1"}
      spec:
        tasks:
          - {id: hi, uses: core/log, with: {message: "hi"}}
          - {id: bye, uses: core/log, needs: [hi], with: {message: "bye"}}
      """;

  @BeforeAll
  static void twoRuns() throws Exception {
    server = TestServers.start(dir);
    api = new Api(server.port());
    admin = api.token("acme", "ada@acme", "tenant_admin");
    operator = api.token("acme", "otto@acme", "operator");
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + server.port()
                                + "/api/workflows/budgeted/versions/1"))
                    .header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(MANIFEST))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(api.call("POST", "/api/workflows/budgeted/versions/1/publish", admin, null).status())
        .isEqualTo(200);
    for (int i = 0; i < 2; i++) {
      runToEnd(start().body().path("id").asText());
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Api.Reply start() {
    return api.call("POST", "/api/runs", operator, Map.of("workflow", "budgeted"));
  }

  static void runToEnd(String runId) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      if (api.call("GET", "/api/runs/" + runId, admin, null)
          .body()
          .path("status")
          .asText()
          .equals("SUCCEEDED")) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("run " + runId + " never succeeded");
  }

  static JsonNode plan() {
    Api.Reply r = api.call("POST", "/api/plan", operator, Map.of("workflow", "budgeted"));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    return r.body();
  }

  static void setDaily(BigDecimal daily) {
    Map<String, Object> body = new HashMap<>();
    body.put("dailyMaxUSD", daily);
    body.put("monthlyMaxUSD", null);
    Api.Reply r = api.call("PUT", "/api/tenants/acme/budget", admin, body);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    assertThat(r.body().path("dailyMaxUSD").decimalValue()).isEqualByComparingTo(daily);
  }

  @Test
  @Order(1)
  void plan_pricesEveryLineFromTheVersionsHistory() {
    JsonNode p = plan();
    assertThat(p.path("basis").asText()).isEqualTo("history");
    assertThat(p.path("estimatedCostUSD").decimalValue()).isPositive();
    assertThat(p.path("breakdown")).hasSize(3);
    assertThat(p.path("breakdown").findValuesAsText("basis")).containsOnly("history");
    assertThat(p.path("breakdown").get(1).path("step").asText()).isEqualTo("hi");
    assertThat(p.path("breakdown").get(1).path("samples").asInt()).isEqualTo(2);
    assertThat(p.path("breakdown").get(0).path("rationale").asText()).contains("2 run(s)");
    BigDecimal sum = BigDecimal.ZERO;
    for (JsonNode l : p.path("breakdown")) {
      sum = sum.add(l.path("costUSD").decimalValue());
    }
    assertThat(sum).isEqualByComparingTo(p.path("estimatedCostUSD").decimalValue());
  }

  @Test
  @Order(2)
  void plan_ofAnUnrunManifestFallsBackToTaskDefaultsAndSaysSo() {
    Api.Reply r =
        api.call(
            "POST",
            "/api/plan",
            operator,
            Map.of("manifest", MANIFEST.replace("version: \"1\"", "version: \"2\"")));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    assertThat(r.body().path("basis").asText()).isEqualTo("defaults");
    assertThat(r.body().path("breakdown").get(1).path("rationale").asText())
        .contains("default duration of core/log");
  }

  @Test
  @Order(3)
  void runs_areAdmittedWithTheirEstimateAndTheBudgetIsInThePolicyInput() throws Exception {
    Api.Reply started = start();
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    assertThat(started.body().path("estimatedCostUSD").decimalValue()).isPositive();
    String runId = started.body().path("id").asText();
    runToEnd(runId);
    JsonNode admission =
        api.call("GET", "/api/runs/" + runId + "?explain=true", admin, null)
            .body()
            .path("admission");
    assertThat(admission.path("decision_id").asText())
        .isEqualTo(started.body().path("decision_id").asText());
    assertThat(admission.path("plan").path("estimatedCostUSD").decimalValue())
        .isEqualByComparingTo(started.body().path("estimatedCostUSD").decimalValue());
    assertThat(admission.path("budget").has("spentUSD")).isTrue();
    assertThat(admission.path("budget").has("monthlySpentUSD")).isTrue();
  }

  @Test
  @Order(4)
  void budgetAtNinetyPercent_admitsWithAWarningObligationReceiptAndAlert() throws Exception {
    JsonNode p = plan();
    BigDecimal spent = p.path("budget").path("spentUSD").decimalValue();
    BigDecimal estimate = p.path("estimatedCostUSD").decimalValue();
    setDaily(spent.add(estimate).divide(new BigDecimal("0.9"), 6, RoundingMode.UP));
    Api.Reply started = start();
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    JsonNode warning = started.body().path("warnings").get(0);
    assertThat(warning.path("type").asText()).isEqualTo("budget_warning");
    assertThat(warning.path("period").asText()).isEqualTo("daily");
    JsonNode receipts =
        api.call("GET", "/api/receipts?type=budget.warning", admin, null).body().path("receipts");
    assertThat(receipts).hasSize(1);
    assertThat(receipts.get(0).path("decision").path("id").asText())
        .isEqualTo(started.body().path("decision_id").asText());
    runToEnd(started.body().path("id").asText());
  }

  @Test
  @Order(5)
  void budgetBelowSpendPlusEstimate_refusesTheNextStartWithBudgetExceeded() {
    JsonNode p = plan();
    BigDecimal spent = p.path("budget").path("spentUSD").decimalValue();
    BigDecimal estimate = p.path("estimatedCostUSD").decimalValue();
    setDaily(
        spent
            .add(estimate.divide(BigDecimal.TWO, RoundingMode.DOWN))
            .setScale(6, RoundingMode.DOWN));
    Api.Reply refused =
        api.call("POST", "/api/runs?explain=true", admin, Map.of("workflow", "budgeted"));
    assertThat(refused.status()).as(refused.body().toString()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("budget_exceeded");
    assertThat(refused.reasonCodes()).containsExactly("budget_exceeded");
    assertThat(refused.body().path("detail").asText())
        .contains("exceeds the daily budget of")
        .contains(p.path("estimatedCostUSD").asText());
    String decision = refused.body().path("decision_id").asText();
    assertThat(decision).isNotBlank();
    assertThat(
            refused
                .body()
                .path("explanation")
                .path("input")
                .path("plan")
                .path("estimatedCostUSD")
                .decimalValue())
        .isPositive();
    JsonNode denied =
        api.call("GET", "/api/receipts?type=policy.denied", admin, null).body().path("receipts");
    assertThat(denied.findValuesAsText("id")).isNotEmpty();
    assertThat(denied.get(denied.size() - 1).path("decision").path("id").asText())
        .isEqualTo(decision);
  }

  @Test
  @Order(6)
  void whoami_showsSpentAndRemaining() {
    JsonNode budget = api.call("GET", "/api/whoami", operator, null).body().path("budget");
    assertThat(budget.path("spentUSD").decimalValue()).isPositive();
    assertThat(budget.has("dailyRemainingUSD")).isTrue();
    BigDecimal left =
        budget
            .path("dailyMaxUSD")
            .decimalValue()
            .subtract(budget.path("spentUSD").decimalValue())
            .max(BigDecimal.ZERO);
    assertThat(budget.path("dailyRemainingUSD").decimalValue()).isEqualByComparingTo(left);
  }

  @Test
  @Order(7)
  void metrics_exposeTheLastEstimateAndTheDriftOfEndedRuns() throws Exception {
    HttpResponse<String> m =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(m.body()).containsPattern("mc_cost_estimate_usd\\{tenant=\"acme\"} [0-9.eE-]+");
    java.util.regex.Matcher count =
        java.util.regex.Pattern.compile("mc_cost_estimate_drift_ratio_count (\\S+)")
            .matcher(m.body());
    assertThat(count.find()).as(m.body()).isTrue();
    assertThat(Double.parseDouble(count.group(1)))
        .as("the runs admitted with an estimate that ended")
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  @Order(8)
  void anEndedRunsActualCost_isTheSumOfItsEvents() {
    // Kept beside the estimate as the run's costs are recorded, settled when it ends: the same
    // figure as summing the run's cost lines, to the last decimal, for every ended run.
    java.util.List<String> mismatches =
        server
            .database()
            .inTransaction(
                io.maestro.store.TenantScope.platform(),
                tx ->
                    tx.query(
                        "SELECT e.run_id, e.actual_usd, (SELECT COALESCE(SUM(m.cost_usd), 0) FROM"
                            + " metering_events m WHERE m.tenant_id = e.tenant_id AND m.run_id ="
                            + " e.run_id) AS summed FROM"
                            + " metering_run_estimates e WHERE e.settled_at IS NOT NULL",
                        rs ->
                            rs.getBigDecimal("actual_usd").compareTo(rs.getBigDecimal("summed"))
                                    == 0
                                ? ""
                                : rs.getString("run_id")
                                    + ": kept "
                                    + rs.getBigDecimal("actual_usd")
                                    + ", summed "
                                    + rs.getBigDecimal("summed")));
    assertThat(mismatches).as("settled runs").isNotEmpty();
    assertThat(mismatches).containsOnly("");
  }

  @Test
  void anotherTenant_neitherSeesNorSetsTheBudget() {
    String other = api.token("globex", "gus@globex", "tenant_admin");
    assertThat(api.call("GET", "/api/tenants/acme/budget", other, null).status()).isIn(403, 404);
    Api.Reply set = api.call("PUT", "/api/tenants/acme/budget", other, Map.of("dailyMaxUSD", 0));
    assertThat(set.status()).isIn(403, 404);
    JsonNode own = api.call("GET", "/api/tenants/globex/budget", other, null).body();
    assertThat(own.path("tenantSet").path("dailyMaxUSD").isNull()).isTrue();
    assertThat(
            api.call("GET", "/api/tenants/acme/budget", admin, null)
                .body()
                .path("spentUSD")
                .decimalValue())
        .isPositive();
  }

  @Test
  void operators_readButDoNotSetTheBudget() {
    assertThat(api.call("GET", "/api/tenants/acme/budget", operator, null).status()).isEqualTo(200);
    Api.Reply r = api.call("PUT", "/api/tenants/acme/budget", operator, Map.of("dailyMaxUSD", 1));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.reasonCodes()).contains("role_not_permitted");
  }

  @Test
  void badInput_isA422WithAStableCode() {
    assertThat(
            api.call("PUT", "/api/tenants/acme/budget", admin, Map.of("dailyMaxUSD", "5")).code())
        .isEqualTo("budget_invalid");
    assertThat(api.call("PUT", "/api/tenants/acme/budget", admin, Map.of("dailyMaxUSD", -1)).code())
        .isEqualTo("budget_invalid");
    assertThat(api.call("PUT", "/api/tenants/acme/budget", admin, Map.of("daily", 1)).code())
        .isEqualTo("budget_invalid");
    Api.Reply none = api.call("POST", "/api/plan", operator, Map.of());
    assertThat(none.status()).isEqualTo(422);
    assertThat(none.code()).isEqualTo("plan_invalid");
    assertThat(
            api.call("POST", "/api/plan", operator, Map.of("manifest", "x", "workflow", "budgeted"))
                .code())
        .isEqualTo("plan_invalid");
    assertThat(
            api.call(
                    "POST", "/api/plan", operator, Map.of("workflow", "budgeted", "inputs", "nope"))
                .code())
        .isEqualTo("plan_invalid");
    Api.Reply badManifest =
        api.call("POST", "/api/plan", operator, Map.of("manifest", "kind: Workflow"));
    assertThat(badManifest.status()).isEqualTo(422);
  }
}
