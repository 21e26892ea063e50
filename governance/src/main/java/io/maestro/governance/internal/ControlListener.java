package io.maestro.governance.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens for {@code NOTIFY maestro_governance} from every server process on one dedicated
 * connection outside the pool, and drops this process's cached controls when one arrives, so a kill
 * switch pulled anywhere refuses the next start here within the poll interval (250 ms). On a
 * failure it reconnects after a pause and drops the cache, since a notification may have been
 * missed meanwhile.
 */
public final class ControlListener implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ControlListener.class.getName());
  private static final int POLL_MILLIS = 250;

  private final String url;
  private final Properties credentials = new Properties();
  private final ControlChanges changes;
  private final BooleanSupplier alive;
  private volatile boolean running = true;
  private final Thread thread;

  public ControlListener(
      String url, String user, String password, ControlChanges changes, BooleanSupplier alive) {
    this.url = url;
    if (!user.isEmpty()) {
      credentials.setProperty("user", user);
    }
    if (!password.isEmpty()) {
      credentials.setProperty("password", password);
    }
    this.changes = changes;
    this.alive = alive;
    this.thread = Thread.ofPlatform().daemon().name("maestro-governance-listen").start(this::loop);
  }

  private void loop() {
    boolean warned = false;
    while (running && alive.getAsBoolean()) {
      try (Connection c = DriverManager.getConnection(url, credentials)) {
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + ControlChanges.CHANNEL);
        }
        warned = false;
        changes.fire(); // whatever changed while we were not listening
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running && alive.getAsBoolean()) {
          PGNotification[] n = pg.getNotifications(POLL_MILLIS);
          if (n != null && n.length > 0) {
            changes.fire();
          }
        }
      } catch (SQLException e) {
        if (running && !warned) {
          LOG.warning(
              "governance LISTEN connection failed; controls changed by other processes are seen"
                  + " after reconnecting: "
                  + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
          warned = true;
        }
        sleep(Duration.ofSeconds(1));
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
