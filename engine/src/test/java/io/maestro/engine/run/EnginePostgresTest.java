package io.maestro.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.engine.Engine;
import io.maestro.engine.EngineHarness;
import io.maestro.engine.RecordingReceipts;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.worker.WorkerSettings;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@RequiresPostgres
class EnginePostgresTest extends EngineContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }

  @Test
  void notify_wakesAnIdleWorkerInAnotherEngine() {
    EngineHarness.publish(
        engine,
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: woken, version: "1"}
        spec:
          tasks:
            - {id: a, uses: core/noop}
        """);
    // The worker's slow poll is ten minutes and the run is started by another engine, whose
    // in-process signal does not reach it: only LISTEN/NOTIFY can wake it in time.
    WorkerSettings sleepy =
        new WorkerSettings(4, 4, Duration.ofSeconds(30), Duration.ofMinutes(10));
    try (Engine worker =
        EngineHarness.builder(tdb.database(), new RecordingReceipts())
            .workers(sleepy)
            .instance("listener")
            .build()) {
      worker.startWorkers();
      String runId = EngineHarness.start(engine, "woken", Map.of());
      RunView run = EngineHarness.awaitEnd(worker, runId);
      assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }
}
