package io.maestro.engine.run;

import static io.maestro.engine.EngineHarness.ACME;
import static io.maestro.engine.EngineHarness.publish;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.engine.Engine;
import io.maestro.engine.EngineHarness;
import io.maestro.engine.RecordingReceipts;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.worker.WorkerHooks;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression test for the heartbeat that interrupted workers inside their COMMIT: the finish
 * transaction deletes the row, a heartbeat renewing it then updates 0 rows and took that for a lost
 * lease, interrupting the worker while it was still in JDBC — on H2 that closed the database file
 * for every connection, on PostgreSQL it broke the connection.
 *
 * <p>The race is forced step by step through the pool's hooks: the heartbeat runs only when the
 * worker, right after its handler settled the row (while the pool still counts it in flight), lets
 * it; the worker then goes on with database work, as it would inside the COMMIT.
 */
abstract class HeartbeatRaceContract {
  @TempDir Path dir;

  abstract TestDatabase open(Path dir);

  TestDatabase tdb;
  Engine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    if (tdb != null) {
      tdb.close();
    }
  }

  @Test
  void heartbeatAfterTheFinishDeletedTheRow_neverInterruptsTheWorkerInsideJdbc() throws Exception {
    tdb = open(dir);
    Semaphore beat = new Semaphore(0);
    AtomicInteger parked = new AtomicInteger(); // heartbeat rounds begun so far
    List<Boolean> renewals = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> workerFailure = new AtomicReference<>();
    AtomicReference<Boolean> workerInterrupted = new AtomicReference<>();
    CountDownLatch workerDone = new CountDownLatch(1);
    WorkerHooks hooks =
        new WorkerHooks(
            every -> {
              // A heartbeat round runs only when the worker below allows it.
              parked.incrementAndGet();
              beat.acquire();
            },
            (item, held) -> renewals.add(held),
            item -> {
              // The handler has committed its finish (the row is gone); the pool still counts the
              // row in flight. Let exactly one heartbeat round run, and wait until it is over.
              awaitAtLeast(parked, 1);
              int before = parked.get();
              beat.release();
              awaitAtLeast(parked, before + 1);
              // Still inside JDBC work, as a worker inside its COMMIT would be.
              try {
                workerInterrupted.set(Thread.currentThread().isInterrupted());
                tdb.database()
                    .inTransaction(
                        TenantScope.of(ACME),
                        tx -> tx.queryOne("SELECT 1 AS one", rs -> rs.getInt("one")));
              } catch (Throwable t) {
                workerFailure.set(t);
              } finally {
                workerDone.countDown();
              }
            });
    engine =
        EngineHarness.builder(tdb.database(), new RecordingReceipts())
            .workerHooks(hooks)
            .instance("race")
            .build();
    publish(
        engine,
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: one, version: "1"}
        spec:
          tasks:
            - {id: a, uses: core/noop}
        """);
    engine.startWorkers();
    String runId = EngineHarness.start(engine, "one", Map.of());

    assertThat(workerDone.await(20, TimeUnit.SECONDS)).as("the worker finished").isTrue();
    assertThat(workerInterrupted.get()).as("worker interrupted after its finish").isFalse();
    assertThat(workerFailure.get()).as("worker's database work after its finish").isNull();
    // The database still works for everyone (on H2 an interrupt closed the file channel).
    RunView run = EngineHarness.await(engine, runId, r -> r.status() == RunStatus.SUCCEEDED);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(renewals).as("no heartbeat took the settled row for a lost lease").isEmpty();
    beat.release(1000); // let the heartbeat thread go on until the engine stops
  }

  /** Waits (bounded) until {@code counter} reaches {@code n}; keeps an interrupt pending. */
  private static void awaitAtLeast(AtomicInteger counter, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    boolean interrupted = false;
    while (counter.get() < n && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        interrupted = true; // before the fix: the heartbeat's interrupt lands here
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
