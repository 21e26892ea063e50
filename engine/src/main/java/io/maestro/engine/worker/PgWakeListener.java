package io.maestro.engine.worker;

import io.maestro.engine.queue.WakeSignal;
import io.maestro.engine.queue.WorkQueue;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on PostgreSQL for {@code NOTIFY maestro_engine_work} from any server process and wakes
 * this process's dispatchers. Holds one dedicated connection outside the pool; reconnects after a
 * failure. If notifications are lost, the slow poll still finds the work.
 */
public final class PgWakeListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgWakeListener.class);

  private final String url;
  private final String user;
  private final String password;
  private final WakeSignal signal;
  private final java.util.function.BooleanSupplier alive;
  private volatile boolean running = true;
  private final Thread thread;

  /**
   * @param alive false once the engine's database is closed; the listener then stops by itself
   */
  public PgWakeListener(
      String url,
      String user,
      String password,
      WakeSignal signal,
      java.util.function.BooleanSupplier alive) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.signal = signal;
    this.alive = alive;
    this.thread = Thread.ofPlatform().daemon().name("maestro-pg-listen").start(this::loop);
  }

  private void loop() {
    while (running && alive.getAsBoolean()) {
      try (Connection c = DriverManager.getConnection(url, user, password)) {
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + WorkQueue.CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        signal.wake(); // catch up on anything enqueued while we were not listening
        while (running && alive.getAsBoolean()) {
          PGNotification[] n = pg.getNotifications(1000);
          if (n != null && n.length > 0) {
            signal.wake();
          }
        }
      } catch (SQLException e) {
        if (running) {
          LOG.warn("LISTEN connection failed; reconnecting", e);
          sleep(Duration.ofSeconds(1));
        }
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
