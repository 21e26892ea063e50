package io.maestro.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.TenantId;
import io.maestro.policy.DecisionRecords;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.server.MaestroServer;
import io.maestro.server.http.Route;
import io.maestro.server.isolation.IsolationProbes;
import io.maestro.server.openapi.OpenApiService;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.ScopeGuard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The isolation regression suite. It reads every operation from the OpenAPI document (so a new
 * route is covered the day it is documented, and the server test keeps document and routes equal)
 * and, for each, tries tenant bravo's token on tenant alpha's resources — by alpha's ids in the
 * path, and again naming alpha in the {@code tenant} query parameter and the {@code
 * X-Maestro-Tenant} header — with a body that tries to change alpha. Every attempt must:
 *
 * <ul>
 *   <li>be refused (403 or 404) — or, where it touched only bravo's own data, succeed without a
 *       trace of alpha;
 *   <li>not reveal whether alpha's resource exists (the same status, code and reasons as for a
 *       resource that does not exist);
 *   <li>return none of alpha's data (markers planted in alpha's rows never appear);
 *   <li>change nothing of alpha's (every row of every table with a {@code tenant_id} is compared);
 *   <li>when the policy gate refused it, leave a {@code policy.denied} receipt in bravo's log; when
 *       it answered 404 (alpha's resource is not visible), an {@code access.not_found} one.
 * </ul>
 *
 * Subclasses choose the backend and whether the code-level tenant check is on; the run with it off
 * proves row-level security alone keeps alpha's rows out of bravo's transactions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class IsolationContract {
  static final String A = "alpha";
  static final String B = "bravo";
  static final String A_NAME = "Alpha Confidential Ltd";
  static final String A_HIDDEN_MEMBER = "hidden-member@alpha";
  static final String A_TARGET_MEMBER = "target@alpha";
  static final String A_SECRET_INPUT = "s3cr3t-alpha-input";

  @TempDir static Path dir;
  MaestroServer server;
  Api api;
  String bravoAdmin;
  String alphaRunId;
  String alphaReceiptId;
  String alphaWebhookId;
  final List<String> markers = new ArrayList<>();

  /** Starts the server under test on the subclass's backend. */
  abstract MaestroServer startServer(Path dataDir, ScopeGuard guard);

  abstract ScopeGuard guard();

  void cleanUp() {}

  @BeforeAll
  void start() throws Exception {
    server = startServer(dir, guard());
    api = new Api(server.port());
    String root = api.token(null, "root@platform", "conductor_admin");
    String alphaAdmin =
        api.token(
            A, "admin@alpha", "tenant_admin", "workflow_author", "workflow_reviewer", "operator");
    bravoAdmin =
        api.token(
            B, "admin@bravo", "tenant_admin", "workflow_author", "workflow_reviewer", "operator");
    assertThat(api.call("PATCH", "/api/tenants/" + A, root, Map.of("name", A_NAME)).status())
        .isEqualTo(200);
    for (String m : List.of(A_HIDDEN_MEMBER, A_TARGET_MEMBER)) {
      assertThat(
              api.call(
                      "PUT",
                      "/api/tenants/" + A + "/members/" + m,
                      alphaAdmin,
                      Map.of("role", "operator"))
                  .status())
          .isEqualTo(200);
    }
    markers.addAll(List.of(A_NAME, A_HIDDEN_MEMBER, A_SECRET_INPUT, "tenants/alpha/"));
    // Ids that go into request paths are not markers: a 404 may echo what was asked for.
    alphaRunId = startAlphaRun(alphaAdmin).orElse(null);
    alphaReceiptId = receipts(LogId.tenant(TenantId.of(A))).get(0).id();
    awaitQuiescence();
    // A billing webhook of alpha's, for an event type no attempt produces (so nothing is sent),
    // registered once alpha is quiet: its fan-out position starts at alpha's last event and stays.
    Api.Reply hook =
        api.call(
            "POST",
            "/api/billing/webhooks",
            alphaAdmin,
            Map.of(
                "url",
                "http://127.0.0.1:9/alpha-webhook-marker",
                "eventTypes",
                List.of("evidence_exported")));
    assertThat(hook.status()).isEqualTo(201);
    alphaWebhookId = hook.body().path("id").asText();
    markers.addAll(List.of("alpha-webhook-marker", hook.body().path("secret").asText()));
    // A schedule of alpha's (the id the path templates fill in) that does not fire during the
    // suite, and a webhook trigger on alpha's workflow, whose secret must never leak.
    Api.Reply schedule =
        api.call(
            "POST",
            "/api/schedules",
            alphaAdmin,
            Map.of(
                "id", "alpha-id",
                "workflow", "web",
                "cron", "0 3 1 1 *",
                "inputs", Map.of("note", "alpha-schedule-marker")));
    assertThat(schedule.status()).as(schedule.body().toString()).isEqualTo(201);
    Api.Reply trigger = api.call("PUT", "/api/workflows/web/trigger", alphaAdmin, null);
    assertThat(trigger.status()).as(trigger.body().toString()).isEqualTo(201);
    markers.addAll(List.of("alpha-schedule-marker", trigger.body().path("secret").asText()));
    awaitQuiescence();
  }

  /**
   * Waits until alpha's rows stop changing (its run has reached its approval gate and the
   * checkpointer has signed the log), so any later change is the attempts' doing.
   */
  void awaitQuiescence() throws InterruptedException {
    Map<String, List<String>> last = snapshotOfAlpha();
    for (int i = 0; i < 40; i++) {
      Thread.sleep(1500);
      Map<String, List<String>> now = snapshotOfAlpha();
      if (now.equals(last)) {
        return;
      }
      last = now;
    }
    throw new AssertionError("alpha's rows never settled");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    cleanUp();
  }

  /** Publishes a workflow and starts a run in alpha, when the engine's routes are served. */
  Optional<String> startAlphaRun(String alphaAdmin) throws Exception {
    boolean engine = server.routes().stream().anyMatch(r -> r.path().equals("/api/runs"));
    if (!engine) {
      return Optional.empty();
    }
    String manifest = IsolationProbes.VICTIM_WORKFLOW;
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + server.port() + "/api/workflows/web/versions/1"))
                    .header("Authorization", "Bearer " + alphaAdmin)
                    .header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(manifest))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(api.call("POST", "/api/workflows/web/versions/1/publish", alphaAdmin, null).status())
        .isEqualTo(200);
    Api.Reply run =
        api.call(
            "POST",
            "/api/runs",
            alphaAdmin,
            Map.of("workflow", "web", "inputs", Map.of("who", A_SECRET_INPUT)));
    assertThat(run.status()).as(run.body().toString()).isEqualTo(202);
    return Optional.of(run.body().path("id").asText());
  }

  Database db() {
    return server.database();
  }

  List<Receipt> receipts(LogId log) {
    return db().inTransaction(
            TenantScope.platform(),
            tx -> {
              List<Receipt> all = new ArrayList<>();
              long after = 0;
              while (true) {
                ReceiptLog.Page p =
                    new ReceiptLog("t")
                        .list(
                            tx,
                            log,
                            new ReceiptLog.Query(Optional.empty(), Optional.empty(), after, 500));
                all.addAll(p.receipts());
                if (p.nextAfterSeq().isEmpty()) {
                  return all;
                }
                after = p.nextAfterSeq().get();
              }
            });
  }

  long denials(String tenant) {
    return receipts(LogId.tenant(TenantId.of(tenant))).stream()
        .filter(r -> r.type().equals(ReceiptTypes.POLICY_DENIED))
        .count();
  }

  /** Receipts of requests that named a resource the actor cannot see (answered 404). */
  long notFounds(String tenant) {
    return receipts(LogId.tenant(TenantId.of(tenant))).stream()
        .filter(r -> r.type().equals(ReceiptTypes.ACCESS_NOT_FOUND))
        .count();
  }

  /** Every row of alpha in every table that has a tenant_id column, as text. */
  Map<String, List<String>> snapshotOfAlpha() {
    // The webhook dispatcher's read position in alpha's events moves by itself once alpha's own
    // latest events (its webhook registration's receipt is metered) are older than the settle
    // window, whatever beta does.
    return io.maestro.server.TenantRows.snapshot(
        db(), "=", A, java.util.Set.of("billing_webhook_endpoints.after_seq"));
  }

  /** The operations of the API document, minus the public ones, with the action they declare. */
  List<Route> governedOperations() {
    List<String> documented = OpenApiService.operations(OpenApiService.load());
    List<Route> out = new ArrayList<>();
    for (String op : documented) {
      Route r =
          server.routes().stream()
              .filter(x -> (x.method().text() + " " + x.path()).equals(op))
              .findFirst()
              .orElseThrow(() -> new AssertionError(op + " is documented but not served"));
      if (!r.isPublic()) {
        out.add(r);
      }
    }
    return out;
  }

  /** The ids of alpha's that the probes aim at. */
  IsolationProbes.Target target() {
    return new IsolationProbes.Target(
        A,
        A_TARGET_MEMBER,
        "web",
        Optional.ofNullable(alphaRunId),
        Optional.of(alphaReceiptId),
        Optional.of(alphaWebhookId));
  }

  static IsolationProbes.Answer answer(Api.Reply r) {
    return new IsolationProbes.Answer(r.status(), r.code(), r.reasonCodes(), r.raw().body());
  }

  /**
   * Runs after the attempts: every 403 they got is a decision the policy made and logged — the same
   * decision id, {@code allow: false} and the same reasons — so the decision log explains every
   * refusal (the gate decides nothing on its own).
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void everyRefusal_isALoggedPolicyDecisionWithTheSameReasons() throws InterruptedException {
    // Refusals that once came from the gate or a handler after the policy had allowed: a tenant
    // administrator lifting its own quota, and a member of a suspended tenant.
    String root = api.token(null, "root@platform", "conductor_admin");
    String charlie = api.token("charlie", "admin@charlie", "tenant_admin");
    Map<String, Object> lift = Map.of("quotas", Map.of("max_concurrent_runs", 1000));
    assertThat(api.call("PATCH", "/api/tenants/charlie", charlie, lift).reasonCodes())
        .containsExactly("platform_only");
    Map<String, Object> suspend = Map.of("status", "suspended");
    assertThat(api.call("PATCH", "/api/tenants/charlie", root, suspend).status()).isEqualTo(200);
    assertThat(api.call("GET", "/api/tenants/charlie", charlie, null).reasonCodes())
        .contains("tenant_suspended");

    List<Api.Refusal> refusals = api.refusals();
    assertThat(refusals).as("the suite makes refused attempts").isNotEmpty();
    List<String> unexplained = new ArrayList<>();
    for (Api.Refusal r : refusals) {
      String id = r.body().path("decision_id").asText("");
      if (id.isEmpty()) {
        unexplained.add(r.request() + ": no decision_id in " + r.body());
        continue;
      }
      Optional<JsonNode> logged = Optional.empty();
      // The decision log is written in batches; give it a moment.
      for (int i = 0; i < 50 && logged.isEmpty(); i++) {
        logged = loggedDecision(id);
        if (logged.isEmpty()) {
          Thread.sleep(100);
        }
      }
      if (logged.isEmpty()) {
        unexplained.add(r.request() + ": decision " + id + " is not in policy_decisions");
      } else if (logged.get().path("result").path("allow").asBoolean(true)) {
        unexplained.add(r.request() + ": decision " + id + " was logged as an allow");
      } else if (!logged.get().path("result").path("reasons").equals(r.body().path("reasons"))) {
        unexplained.add(
            r.request()
                + ": refused for "
                + r.body().path("reasons")
                + " but logged with "
                + logged.get().path("result").path("reasons"));
      }
    }
    assertThat(unexplained).isEmpty();
  }

  private Optional<JsonNode> loggedDecision(String id) {
    return db().inTransaction(
            TenantScope.platform(),
            tx -> {
              for (String tenant : List.of(B, A, "charlie", DecisionRecords.PLATFORM)) {
                Optional<com.fasterxml.jackson.databind.node.ObjectNode> e =
                    DecisionRecords.find(tx, tenant, id);
                if (e.isPresent()) {
                  return Optional.<JsonNode>of(e.get());
                }
              }
              return Optional.<JsonNode>empty();
            });
  }

  @Test
  void everyGovernedRoute_refusesRequestsWithoutAToken() {
    for (Route r : governedOperations()) {
      String path = IsolationProbes.fill(r.path(), true, target());
      Object body = IsolationProbes.hostileBody(r.method().text(), A).orElse(null);
      Api.Reply reply = api.call(r.method().text(), path, null, body);
      assertThat(reply.status()).as(r.method().text() + " " + r.path()).isEqualTo(401);
    }
  }

  @Test
  void tenantB_cannotReadListChangeDeleteApproveOrExportTenantAsResources() {
    List<Route> ops = governedOperations();
    assertThat(ops).as("the document lists the tenancy routes").hasSizeGreaterThan(5);
    Map<String, List<String>> before = snapshotOfAlpha();
    assertThat(before.get("tenants")).hasSize(1);
    List<String> failures = new ArrayList<>();
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<IsolationProbes.Operation> operations =
        ops.stream().map(r -> new IsolationProbes.Operation(r.method().text(), r.path())).toList();
    for (IsolationProbes.Probe p : IsolationProbes.probes(operations, target())) {
      String method = p.op().method();
      Object body = p.body().orElse(null);
      long denialsBefore = denials(B);
      long notFoundsBefore = notFounds(B);
      Api.Reply reply = api.call(method, p.path(), bravoAdmin, body, p.headers());
      long denialsAfter = denials(B);
      long notFoundsAfter = notFounds(B);
      statuses.merge(reply.status(), 1, Integer::sum);
      if (reply.status() == 403
          && !reply.body().path("decision_id").asText().isEmpty()
          && denialsAfter != denialsBefore + 1) {
        failures.add(p.label() + ": refused without a policy.denied receipt in bravo's log");
      }
      if (reply.status() == 404
          && denialsAfter + notFoundsAfter != denialsBefore + notFoundsBefore + 1) {
        failures.add(p.label() + ": answered 404 without a denial receipt in bravo's log");
      }
      Optional<IsolationProbes.Answer> twin =
          p.compareTwin()
              ? Optional.of(
                  answer(api.call(method, p.twinPath(), bravoAdmin, body, p.twinHeaders())))
              : Optional.empty();
      failures.addAll(IsolationProbes.judge(p, answer(reply), twin, markers, guard().enforcing()));
    }
    Map<String, List<String>> after = snapshotOfAlpha();
    for (String table : before.keySet()) {
      if (!before.get(table).equals(after.get(table))) {
        failures.add(
            "alpha's rows in "
                + table
                + " changed: "
                + before.get(table)
                + " -> "
                + after.get(table));
      }
    }
    System.out.printf(
        "isolation (%s, %s): %d routes x 2 attempts, answers by status %s%n",
        db().dialect(), guard(), ops.size(), statuses);
    assertThat(failures).as("isolation failures (%d routes)", ops.size()).isEmpty();
  }

  @Test
  void tenantA_stillSeesItsOwnData_soTheSuiteIsNotVacuous() {
    String alphaAdmin = api.token(A, "admin@alpha", "tenant_admin", "operator");
    Api.Reply t = api.call("GET", "/api/tenants/" + A, alphaAdmin, null);
    assertThat(t.status()).isEqualTo(200);
    assertThat(t.body().path("name").asText()).isEqualTo(A_NAME);
    JsonNode members = api.call("GET", "/api/tenants/" + A + "/members", alphaAdmin, null).body();
    assertThat(members.path("items").findValuesAsText("subject")).contains(A_HIDDEN_MEMBER);
    if (alphaRunId != null) {
      assertThat(api.call("GET", "/api/runs/" + alphaRunId, alphaAdmin, null).status())
          .isEqualTo(200);
    }
  }
}
