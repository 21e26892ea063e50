package io.maestro.engine.run;

import io.maestro.engine.Engine;
import io.maestro.engine.EngineHarness;
import io.maestro.engine.RecordingReceipts;
import io.maestro.engine.SleepExecutor;
import io.maestro.engine.worker.WorkerSettings;
import io.maestro.store.Database;
import java.time.Duration;

/**
 * A worker process for crash tests: joins the queue in the given PostgreSQL schema and works until
 * it is killed. Arguments: JDBC URL, user, schema, lease owner name, lease in milliseconds.
 */
public final class CrashWorker {
  private CrashWorker() {}

  public static void main(String[] args) throws InterruptedException {
    Database db = Database.open(args[0], args[1], "", 4, args[2]);
    Engine engine =
        EngineHarness.builder(db, new RecordingReceipts())
            .executor(new SleepExecutor())
            .instance(args[3])
            .workers(
                new WorkerSettings(
                    8, 8, Duration.ofMillis(Long.parseLong(args[4])), Duration.ofMillis(100)))
            .build();
    engine.startWorkers();
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Duration.ofMinutes(5));
  }
}
