package io.maestro.engine.run;

import static io.maestro.engine.EngineHarness.ACME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.Ids;
import io.maestro.engine.Engine;
import io.maestro.engine.EngineHarness;
import io.maestro.engine.ProvenanceReceipts;
import io.maestro.engine.RecordingReceipts;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.Receipts;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every engine transition lands in the tenant's provenance log, in the same transaction. */
abstract class ProvenanceReceiptsContract {
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
          EngineHarness.builder(tdb.database(), new RecordingReceipts())
              .receipts(new ProvenanceReceipts(receipts))
              .build()) {
        EngineHarness.publish(
            engine,
            """
            apiVersion: maestro/v1
            kind: Workflow
            metadata: {name: proven, version: "1"}
            spec:
              tasks:
                - {id: a, uses: core/noop}
                - {id: b, uses: core/log, needs: [a], with: {message: hi}}
            """);
        engine.startWorkers();
        String runId = EngineHarness.start(engine, "proven", Map.of());
        assertThat(EngineHarness.awaitEnd(engine, runId).status()).isEqualTo(RunStatus.SUCCEEDED);
        ReceiptLog log = new ReceiptLog("maestro.test");
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
        assertThat(created.decision()).isPresent();
        assertThat(created.decision().get().id()).isEqualTo("dec_alice");
        assertThat(created.decision().get().reasons()).containsExactly("rbac_granted");
        assertThat(created.decision().get().bundleRevision()).contains("canon-r7");
        assertThat(created.subject().id()).isEqualTo(runId);

        // A change that fails rolls back together with its receipts.
        long before = all.size();
        assertThatThrownBy(() -> EngineHarness.start(engine, "missing", Map.of()));
        long after =
            tdb.database()
                .inTransaction(TenantScope.of(ACME), tx -> log.size(tx, LogId.tenant(ACME)));
        assertThat(after).isEqualTo(before);
      }
    }
  }
}
