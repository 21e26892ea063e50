package io.maestro.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.core.TenantId;
import io.maestro.provenance.Receipt;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.store.Database;
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
      Api.Reply put =
          api.call(
              "PUT",
              "/api/workflows/trail/versions/1",
              author,
              Map.of(
                  "apiVersion",
                  "maestro/v1",
                  "kind",
                  "Workflow",
                  "metadata",
                  Map.of("name", "trail", "version", "1"),
                  "spec",
                  Map.of("tasks", List.of(Map.of("id", "a", "uses", "core/noop")))));
      assertThat(put.status()).as(put.body().toString()).isEqualTo(201);
      assertThat(api.call("POST", "/api/workflows/trail/versions/1/publish", author, null).status())
          .isEqualTo(200);
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
}
