package io.maestro.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.policy.DecisionRecords;
import io.maestro.provenance.Receipt;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receipts and the decision log tell the same story about every decision. */
class DecisionTrailTest {
  static final TenantId ACME = TenantId.of("acme");

  @TempDir Path dir;

  @Test
  void receiptDecision_equalsTheLoggedDecisionWithTheSameId() throws Exception {
    MaestroServer server = TestServers.start(dir);
    String runId;
    try (server) {
      Api api = new Api(server.port());
      String author = api.token("acme", "alice@acme", "workflow_author", "workflow_reviewer");
      String operator = api.token("acme", "olga@acme", "operator");
      String reader = api.token("acme", "rob@acme", "read_only");
      publish(api, author, "trail", "1");
      Api.Reply started = api.call("POST", "/api/runs", operator, Map.of("workflow", "trail"));
      assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
      runId = started.body().path("id").asText();
      Api.Reply denied = api.call("POST", "/api/runs", reader, Map.of("workflow", "trail"));
      assertThat(denied.status()).isEqualTo(403);
    }
    try (Database db = MaestroServer.openDatabase(server.config())) {
      List<Receipt> decided = DecisionTrail.decidedReceipts(db, ACME);
      assertThat(decided)
          .extracting(r -> r.type().name())
          .contains("workflow.drafted", "workflow.published", "run.started", "policy.denied");
      Receipt runStarted =
          decided.stream().filter(r -> r.subject().id().equals(runId)).findFirst().orElseThrow();
      assertThat(runStarted.decision().orElseThrow().allow()).isTrue();
      assertThat(runStarted.decision().orElseThrow().inputDigest()).startsWith("sha256:");
      assertThat(DecisionTrail.disagreements(db, ACME)).isEmpty();
    }
  }

  /**
   * With budgets on (the server's default), a start is decided twice: by the gate on the route, and
   * once more with the workflow, the estimate and the budget (ADR 0059). That second decision is
   * the run's admission, and the log holds it as the receipts and the answer name it.
   */
  @Test
  void aStart_isDecidedByTheGateAndOneAdmission() throws Exception {
    MaestroServer server = TestServers.start(dir);
    Api.Reply started;
    try (server) {
      Api api = new Api(server.port());
      String author = api.token("acme", "alice@acme", "workflow_author", "workflow_reviewer");
      String operator = api.token("acme", "olga@acme", "operator");
      publish(api, author, "once", "1");
      started = api.call("POST", "/api/runs", operator, Map.of("workflow", "once"));
      assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    }
    try (Database db = MaestroServer.openDatabase(server.config())) {
      List<ObjectNode> starts = startDecisions(db);
      assertThat(starts)
          .as("the decisions of the one start: the gate's and the admission")
          .hasSize(2);
      assertThat(starts)
          .extracting(e -> e.path("input").has("plan"))
          .containsExactlyInAnyOrder(false, true);
      ObjectNode admission = admits(db, started);
      assertThat(admission.path("input").path("request").path("workflow").path("name").asText())
          .isEqualTo("once");
      assertThat(admission.path("input").path("plan").path("workflow").asText()).isEqualTo("once");
      assertThat(DecisionTrail.disagreements(db, ACME)).isEmpty();
    }
  }

  /**
   * A start routed away from a canary is decided three times: the gate, the admission on the canary
   * that routes it (and starts nothing), and the admission on the stable version.
   */
  @Test
  void aRoutedStart_isDecidedByTheGateAndTwoAdmissions() throws Exception {
    MaestroServer server = TestServers.start(dir);
    Api.Reply started;
    try (server) {
      Api api = new Api(server.port());
      String author = api.token("acme", "alice@acme", "workflow_author", "workflow_reviewer");
      String admin = api.token("acme", "ada@acme", "tenant_admin");
      publish(api, author, "canary", "1");
      publish(api, author, "canary", "2");
      Api.Reply ramp =
          api.call("PUT", "/api/ramps/canary", admin, Map.of("percent", 0, "version", "2"));
      assertThat(ramp.status()).as(ramp.body().toString()).isEqualTo(200);
      started =
          api.call("POST", "/api/runs", admin, Map.of("workflow", "canary", "idempotencyKey", "k"));
      assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
      assertThat(started.body().path("routedFrom").asText()).isEqualTo("2");
    }
    try (Database db = MaestroServer.openDatabase(server.config())) {
      List<ObjectNode> starts = startDecisions(db);
      assertThat(starts).as("the gate's and two admissions").hasSize(3);
      ObjectNode admission = admits(db, started);
      JsonNode workflow = admission.path("input").path("request").path("workflow");
      assertThat(workflow.path("version").asText()).isEqualTo("1");
      String first = workflow.path("routed").path("decision_id").asText();
      assertThat(starts)
          .extracting(e -> e.path("decision_id").asText())
          .contains(first, admission.path("decision_id").asText());
      assertThat(DecisionTrail.disagreements(db, ACME)).isEmpty();
    }
  }

  /** The logged decisions on {@code POST /api/runs}. */
  private static List<ObjectNode> startDecisions(Database db) {
    return db
        .inTransaction(TenantScope.platform(), tx -> DecisionRecords.recent(tx, "acme", 1000))
        .stream()
        .filter(e -> e.path("input").path("action").asText().equals("workflow.run"))
        .filter(e -> e.path("input").path("request").path("route").asText().equals("/api/runs"))
        .toList();
  }

  /**
   * The logged decision the answer of {@code started} names: the one its run's {@code run.started}
   * receipt carries.
   */
  private static ObjectNode admits(Database db, Api.Reply started) {
    String runId = started.body().path("id").asText();
    String id = started.body().path("decision_id").asText();
    Receipt runStarted =
        DecisionTrail.decidedReceipts(db, ACME).stream()
            .filter(r -> r.subject().id().equals(runId))
            .filter(r -> r.type().name().equals("run.started"))
            .findFirst()
            .orElseThrow();
    assertThat(runStarted.decision().orElseThrow().id()).isEqualTo(id);
    ObjectNode logged = DecisionTrail.logged(db, ACME, id).orElseThrow();
    assertThat(logged.path("result")).isEqualTo(runStarted.decision().orElseThrow().resultJson());
    return logged;
  }

  /** Saves and publishes {@code name@version}, a one-step workflow. */
  private static void publish(Api api, String author, String name, String version) {
    api.publish(
        author,
        name,
        version,
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: %s, version: "%s"}
        spec:
          tasks:
            - {id: a, uses: core/noop}
        """
            .formatted(name, version));
  }
}
