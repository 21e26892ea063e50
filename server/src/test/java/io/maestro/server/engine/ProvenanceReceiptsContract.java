package io.maestro.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.engine.Authorization;
import io.maestro.engine.Engine;
import io.maestro.engine.EngineReceipts;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.run.StartRun;
import io.maestro.engine.task.builtin.LogExecutor;
import io.maestro.engine.task.builtin.NoopExecutor;
import io.maestro.engine.worker.WorkerSettings;
import io.maestro.metering.Metering;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.provenance.Sequencer;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every engine transition lands in the tenant's provenance log, in the same transaction, and the
 * receipts of an admitted action record the gate's decision exactly as it was returned.
 */
abstract class ProvenanceReceiptsContract {
  static final TenantId ACME = TenantId.of("acme");
  static final Decision ADMITTED =
      new Decision(
          "dec_alice",
          true,
          List.of(new Decision.Reason("rbac_granted", "authors may start runs")),
          List.of(JsonNodeFactory.instance.objectNode().put("type", "enhanced_audit")),
          "canon-r7",
          "sha256:" + "a".repeat(64),
          "maestro/authz/decision",
          Instant.parse("2026-12-01T10:00:00.123Z"));
  static final Authorization ALICE =
      new Authorization(
          new Actor(
              "alice", Optional.of(ACME), List.of("workflow_author", "operator"), Map.of(), "test"),
          ADMITTED);

  abstract Backend backend();

  @Test
  void run_everyTransitionHasAReceiptInTheTenantLog() {
    try (TestDatabase tdb = backend().open()) {
      Receipts receipts =
          new Receipts(
              new Ids(Clock.systemUTC(), new SplittableRandom(3)::nextLong),
              Clock.systemUTC(),
              Receipts.AppendListener.NONE);
      try (Engine engine =
          Engine.builder(tdb.database())
              .receipts(new MeteredReceipts(receipts, Metering.standard()))
              .workers(new WorkerSettings(4, 4, Duration.ofSeconds(5), Duration.ofMillis(100)))
              .executor(new NoopExecutor())
              .executor(new LogExecutor())
              .build()) {
        String yaml =
            """
            apiVersion: maestro/v1
            kind: Workflow
            metadata: {name: proven, version: "1"}
            spec:
              tasks:
                - {id: a, uses: core/noop}
                - {id: b, uses: core/log, needs: [a], with: {message: hi}}
            """;
        engine.registry().saveDraft(ALICE, ACME, "proven", "1", yaml);
        engine.registry().publish(ALICE, ACME, "proven", "1");
        engine.startWorkers();
        String runId =
            engine.startRun().handle(StartRun.of(ACME, "proven", Map.of(), ALICE)).runId();
        assertThat(awaitEnd(engine, runId).status()).isEqualTo(RunStatus.SUCCEEDED);
        ReceiptLog log = new ReceiptLog("maestro.test");
        // The engine's receipts are queued with their transitions; the sequencer places them.
        new Sequencer(tdb.database(), receipts, Clock.systemUTC()).drain(LogId.tenant(ACME));
        List<Receipt> all =
            tdb.database()
                .inTransaction(
                    TenantScope.of(ACME),
                    tx -> log.list(tx, LogId.tenant(ACME), ReceiptLog.Query.all(500)).receipts());
        // draft + publish, run created/started/completed, 2 steps x (enqueue, start, succeed).
        assertThat(all).hasSize(2 + 3 + 6);
        assertThat(all)
            .extracting(r -> r.type().name())
            .containsExactlyInAnyOrder(
                "workflow.drafted",
                "workflow.published",
                "run.started",
                "run.began",
                "run.completed",
                "step.queued",
                "step.queued",
                "step.started",
                "step.started",
                "step.completed",
                "step.completed");
        Receipt created =
            all.stream().filter(r -> r.action().equals("run.create")).findFirst().orElseThrow();
        assertThat(created.decision()).contains(ADMITTED);
        assertThat(created.subject().id()).isEqualTo(runId);
        assertThat(engine.runs().get(ACME, runId).orElseThrow().admission()).contains(ADMITTED);

        // A change that fails rolls back together with its receipts.
        long before = all.size();
        assertThatThrownBy(
            () -> engine.startRun().handle(StartRun.of(ACME, "missing", Map.of(), ALICE)));
        long after =
            tdb.database()
                .inTransaction(TenantScope.of(ACME), tx -> log.size(tx, LogId.tenant(ACME)));
        assertThat(after).isEqualTo(before);
      }
    }
  }

  @Test
  void everyEngineReceiptType_isTheCataloguedTypeOfTheSameName() {
    for (EngineReceipts.Type t : EngineReceipts.Type.values()) {
      assertThat(MeteredReceipts.type(t).name()).isEqualTo(t.catalogueName());
      assertThat(ReceiptTypes.ALL).contains(MeteredReceipts.type(t));
    }
  }

  private static RunView awaitEnd(Engine engine, String runId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      RunView r = engine.runs().get(ACME, runId).orElseThrow();
      if (r.status().terminal() || System.nanoTime() > deadline) {
        return r;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return r;
      }
    }
  }
}
