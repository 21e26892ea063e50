package io.maestro.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.core.Actor;
import io.maestro.core.TenantId;
import io.maestro.engine.Authorization;
import io.maestro.engine.Engine;
import io.maestro.engine.EngineHarness;
import io.maestro.engine.RecordingReceipts;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.StepView;
import io.maestro.engine.worker.WorkerHooks;
import io.maestro.engine.worker.WorkerSettings;
import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that records a step's outcome claims and starts the run's next step in the same
 * transaction and goes on with it (ADR 0056) — unless another tenant's work waits for a worker.
 */
abstract class ChainedStepsContract {
  static final TenantId GLOBEX = TenantId.of("globex");

  @TempDir Path dir;

  abstract TestDatabase open(Path dir);

  TestDatabase tdb;
  Engine engine;

  /** Which row each worker thread handled, in the order handlers returned. */
  record Handled(long thread, String tenant, String runId, String stepId) {}

  final List<Handled> handled = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    if (tdb != null) {
      tdb.close();
    }
  }

  Engine engine(WorkerSettings workers) {
    tdb = open(dir);
    WorkerHooks hooks =
        new WorkerHooks(
            WorkerHooks.NONE.heartbeatPause(),
            WorkerHooks.NONE.afterHeartbeat(),
            item ->
                handled.add(
                    new Handled(
                        Thread.currentThread().threadId(),
                        item.tenant().value(),
                        item.runId(),
                        item.stepId())));
    engine =
        EngineHarness.builder(tdb.database(), new RecordingReceipts())
            .workers(workers)
            .workerHooks(hooks)
            .instance("chain")
            .build();
    return engine;
  }

  /** The hook runs after the outcome committed, so a test sees the run end slightly before. */
  void awaitHandled(int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (handled.size() < n && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  static String steps(String name, int n) {
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: "
                + name
                + ", version: \"1\"}\nspec:\n  tasks:\n");
    for (int i = 0; i < n; i++) {
      yaml.append("    - {id: s").append(i).append(", uses: core/noop");
      if (i > 0) {
        yaml.append(", needs: [s").append(i - 1).append("]");
      }
      yaml.append("}\n");
    }
    return yaml.toString();
  }

  @Test
  void aRunsSteps_runOneAfterAnotherOnTheWorkerThatRecordedTheirPredecessor() {
    Engine e = engine(EngineHarness.fastWorkers());
    EngineHarness.publish(e, steps("three", 3));
    e.startWorkers();
    String runId = EngineHarness.start(e, "three", Map.of());
    RunView run = EngineHarness.awaitEnd(e, runId);
    awaitHandled(3);

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.steps()).extracting(StepView::deliveries).containsOnly(1);
    assertThat(handled).extracting(Handled::stepId).containsExactly("s0", "s1", "s2");
    assertThat(handled)
        .extracting(Handled::thread)
        .as("one worker claimed each successor in the transaction that recorded its predecessor")
        .containsOnly(handled.get(0).thread());
  }

  @Test
  void anotherTenantsWaitingWork_getsTheWorkerInsteadOfTheRunsNextStep() {
    // One worker: tenant acme's run of 20 steps and globex's one-step run are both due at once.
    Engine e = engine(new WorkerSettings(1, 1, Duration.ofSeconds(5), Duration.ofMillis(200)));
    EngineHarness.publish(e, steps("long", 20));
    Authorization globexAuthor =
        new Authorization(
            new Actor("gina", Optional.of(GLOBEX), List.of("workflow_author"), Map.of(), "test"),
            EngineHarness.AUTHOR.decision().orElseThrow());
    var m = e.registry().validate(steps("short", 1));
    e.registry().saveDraft(globexAuthor, GLOBEX, m.name(), m.version(), steps("short", 1));
    e.registry().publish(globexAuthor, GLOBEX, m.name(), m.version());
    String longRun = EngineHarness.start(e, "long", Map.of());
    String shortRun =
        e.startRun().handle(StartRun.of(GLOBEX, "short", Map.of(), globexAuthor)).runId();
    e.startWorkers();
    EngineHarness.awaitEnd(e, longRun);
    awaitHandled(21);

    int globexAt = handled.stream().map(Handled::runId).toList().indexOf(shortRun);
    assertThat(globexAt)
        .as("globex's step ran after at most one of acme's, not after acme's whole chain")
        .isBetween(0, 1);
    assertThat(handled).hasSize(21);
  }
}
