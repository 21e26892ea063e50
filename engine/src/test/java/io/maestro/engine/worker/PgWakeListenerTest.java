package io.maestro.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.engine.queue.WakeSignal;
import io.maestro.engine.queue.WorkQueue;
import io.maestro.store.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class PgWakeListenerTest {
  @Test
  void retryDelay_doublesFromOneSecondUpToThirty() {
    assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 50).stream().map(PgWakeListener::retryDelay))
        .extracting(Duration::toSeconds)
        .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
  }

  @Test
  void unreachableDatabase_warnsOncePerOutageWithoutStackTrace() throws Exception {
    Logger jul = Logger.getLogger(PgWakeListener.class.getName());
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    jul.addHandler(capture);
    try (PgWakeListener listener =
        new PgWakeListener(
            "jdbc:postgresql://127.0.0.1:1/none", "", "", new WakeSignal(), () -> true)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (listener.failedAttempts() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(listener.failedAttempts()).isGreaterThanOrEqualTo(2);
    } finally {
      jul.removeHandler(capture);
    }
    List<LogRecord> warnings =
        records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.getFirst().getThrown()).isNull();
    assertThat(warnings.getFirst().getMessage()).contains("LISTEN connection failed");
  }

  @Test
  void notify_wakesTheListenerConnectedWithTheGivenUser() throws Exception {
    TestDatabase.requirePostgres();
    WakeSignal signal = new WakeSignal();
    try (PgWakeListener listener =
        new PgWakeListener(
            TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "", signal, () -> true)) {
      // The listener wakes once when it has connected; then a NOTIFY wakes it again.
      assertThat(signal.await(Duration.ofSeconds(20))).isTrue();
      try (Connection c =
          DriverManager.getConnection(
              TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "")) {
        boolean woken = false;
        for (int i = 0; i < 20 && !woken; i++) {
          c.createStatement().execute("NOTIFY " + WorkQueue.CHANNEL);
          woken = signal.await(Duration.ofSeconds(1));
        }
        assertThat(woken).isTrue();
      }
      assertThat(listener.failedAttempts()).isZero();
    }
  }
}
