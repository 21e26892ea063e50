package io.maestro.engine.worker;

import io.maestro.engine.queue.WakeSignal;
import io.maestro.engine.queue.WorkQueue;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on PostgreSQL for {@code NOTIFY maestro_engine_work} from any server process and wakes
 * this process's dispatchers. Holds one dedicated connection outside the pool. After a failure it
 * reconnects with exponential backoff ({@link #retryDelay}) and says so in one warning line per
 * outage, without a stack trace: the slow poll still finds the work meanwhile, so an outage delays
 * wake-ups but loses nothing.
 */
public final class PgWakeListener implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PgWakeListener.class.getName());
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final String url;
  private final Properties credentials = new Properties();
  private final WakeSignal signal;
  private final BooleanSupplier alive;
  private final AtomicInteger failedAttempts = new AtomicInteger();
  private volatile boolean running = true;
  private final Thread thread;

  /**
   * @param user empty to let the URL or the driver choose
   * @param alive false once the engine's database is closed; the listener then stops by itself
   */
  public PgWakeListener(
      String url, String user, String password, WakeSignal signal, BooleanSupplier alive) {
    this.url = url;
    // An empty user is not "no user": the server rejects it ("no PostgreSQL user name specified
    // in startup packet"), so only what is set is passed on.
    if (!user.isEmpty()) {
      credentials.setProperty("user", user);
    }
    if (!password.isEmpty()) {
      credentials.setProperty("password", password);
    }
    this.signal = signal;
    this.alive = alive;
    this.thread = Thread.ofPlatform().daemon().name("maestro-pg-listen").start(this::loop);
  }

  /** The wait before reconnect attempt {@code failures + 1}: 1 s, doubling, at most 30 s. */
  static Duration retryDelay(int failures) {
    int doublings = Math.min(Math.max(failures - 1, 0), 5);
    Duration d = FIRST_RETRY.multipliedBy(1L << doublings);
    return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
  }

  /** Failed connection attempts since the last successful one. */
  int failedAttempts() {
    return failedAttempts.get();
  }

  private void loop() {
    while (running && alive.getAsBoolean()) {
      try (Connection c = DriverManager.getConnection(url, credentials)) {
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + WorkQueue.CHANNEL);
        }
        if (failedAttempts.getAndSet(0) > 0) {
          LOG.info("LISTEN connection restored");
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
          int failures = failedAttempts.incrementAndGet();
          if (failures == 1) {
            LOG.warning(
                "LISTEN connection failed ("
                    + firstLine(e)
                    + "); work is still found by polling; reconnecting with backoff up to "
                    + MAX_RETRY.toSeconds()
                    + " s");
          }
          sleep(retryDelay(failures));
        }
      }
    }
  }

  private static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
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
