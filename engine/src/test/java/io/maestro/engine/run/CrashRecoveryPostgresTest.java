package io.maestro.engine.run;

import static io.maestro.engine.EngineHarness.ACME;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.engine.Engine;
import io.maestro.engine.EngineHarness;
import io.maestro.engine.LogLine;
import io.maestro.engine.RecordingReceipts;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.SleepExecutor;
import io.maestro.engine.StepStatus;
import io.maestro.engine.StepView;
import io.maestro.engine.worker.WorkerSettings;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A worker process is killed with SIGKILL while it executes steps; another process must complete
 * every run, each step attempt exactly once as far as results go, with the redeliveries counted.
 */
@RequiresPostgres
class CrashRecoveryPostgresTest {
  static final int RUNS = 6;

  @Test
  void sigkilledWorkerProcess_itsAttemptsAreRedeliveredAndEveryRunCompletes() throws Exception {
    try (TestDatabase tdb = Backend.POSTGRESQL.open()) {
      RecordingReceipts receipts = new RecordingReceipts();
      WorkerSettings survivorSettings =
          new WorkerSettings(8, 8, Duration.ofMillis(800), Duration.ofMillis(100));
      try (Engine survivor =
          EngineHarness.builder(tdb.database(), receipts)
              .executor(new SleepExecutor())
              .instance("survivor")
              .workers(survivorSettings)
              .build()) {
        EngineHarness.publish(
            survivor,
            """
            apiVersion: maestro/v1
            kind: Workflow
            metadata: {name: crashy, version: "1"}
            spec:
              tasks:
                - {id: slow, uses: test/sleep, with: {ms: 60000, firstDeliveryOnly: true}}
                - {id: after, uses: core/noop, needs: [slow]}
            """);
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
          runs.add(EngineHarness.start(survivor, "crashy", Map.of("i", i)));
        }

        Process worker = spawnWorker(tdb);
        try {
          for (String id : runs) {
            EngineHarness.await(
                survivor, id, r -> r.step("slow").orElseThrow().status() == StepStatus.RUNNING);
          }
        } finally {
          worker.destroyForcibly(); // SIGKILL: no shutdown hooks, no lease release
          assertThat(worker.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(worker.exitValue()).isEqualTo(137);

        survivor.startWorkers();
        for (String id : runs) {
          RunView run = EngineHarness.awaitEnd(survivor, id);
          assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
          StepView slow = run.step("slow").orElseThrow();
          assertThat(slow.attempt()).isEqualTo(1);
          assertThat(slow.deliveries()).isEqualTo(2);
          assertThat(slow.duplicates()).isEqualTo(1);
          assertThat(slow.outputs().path("delivery").asInt()).isEqualTo(2);
          StepView after = run.step("after").orElseThrow();
          assertThat(after.deliveries()).isEqualTo(1);
        }
        long completions =
            receipts.ofType("step.completed").stream()
                .filter(r -> r.subjectId().endsWith("/slow"))
                .count();
        assertThat(completions).as("one result recorded per attempt").isEqualTo(RUNS);
        assertThat(survivor.logs().read(ACME, runs.getFirst(), 0, 200))
            .extracting(LogLine::message)
            .anySatisfy(m -> assertThat(m).contains("delivered again"));
      }
    }
  }

  private static Process spawnWorker(TestDatabase tdb) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashWorker.class.getName(),
                TestDatabase.postgresUrl(),
                TestDatabase.postgresUser(),
                tdb.database().schema(),
                "doomed-process",
                "800")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("worker process started").isEqualTo("READY");
    return p;
  }
}
