package io.maestro.server.chaos;

import io.maestro.store.Database;
import io.maestro.store.Dialect;
import io.maestro.store.StoreException;
import io.maestro.store.Tx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@code db-restart} fault (ADR 0044): this server's PostgreSQL really restarts, by the
 * operator's own command ({@code chaos.dbRestartCommand}, run with {@code /bin/sh -c}), while the
 * server keeps serving. Nothing in the server is told or prepared: the pool meets broken
 * connections and reconnects, the LISTEN connection reconnects with backoff, transactions cut off
 * roll back. The server only knows how to ask the database when it last started ({@code
 * pg_postmaster_start_time()}), before the command and again once the database answers, so a drill
 * can tell a restart that happened from a command that did nothing. One restart at a time.
 */
public final class DbRestart {
  /** How long, after the command ends, the database is awaited before the restart is judged. */
  static final Duration AWAIT = Duration.ofSeconds(60);

  private static final int OUTPUT_TAIL = 600;

  private final String command;
  private final Database db;
  private final Clock clock;
  private volatile Outcome last;
  private volatile boolean running;

  /** Why the scenario cannot run here, as the policy's facts say it. */
  public enum Availability {
    READY,
    /** The embedded database lives in the server's process: it cannot restart on its own. */
    EMBEDDED,
    /** PostgreSQL, but no restart command is configured. */
    UNCONFIGURED
  }

  /**
   * A restart as it went.
   *
   * @param finished empty while the command runs
   * @param exitCode the command's exit status; -1 when it did not end within the fault window
   * @param output the last characters the command printed (stdout and stderr)
   * @param databaseStartedBefore {@code pg_postmaster_start_time()} before the command
   * @param databaseStartedAfter the same once the database answered again; empty until then, or
   *     when it did not answer within {@link #AWAIT}
   * @param answeredAt when the database first answered after the command
   */
  public record Outcome(
      Instant started,
      Optional<Instant> finished,
      int exitCode,
      String output,
      Instant databaseStartedBefore,
      Optional<Instant> databaseStartedAfter,
      Optional<Instant> answeredAt) {
    /** Whether the database really restarted: it started again after the command began. */
    public boolean restarted() {
      return databaseStartedAfter.map(a -> a.isAfter(databaseStartedBefore)).orElse(false);
    }
  }

  public DbRestart(String command, Database db, Clock clock) {
    this.command = command == null ? "" : command.strip();
    this.db = db;
    this.clock = clock;
  }

  public Availability availability() {
    if (db.dialect() != Dialect.POSTGRESQL) {
      return Availability.EMBEDDED;
    }
    return command.isEmpty() ? Availability.UNCONFIGURED : Availability.READY;
  }

  /** The latest restart, if any. */
  public Optional<Outcome> last() {
    return Optional.ofNullable(last);
  }

  /**
   * Starts the restart command on a thread of its own and returns; the command is killed if it has
   * not ended by {@code until}. {@code done} hears the outcome once the database answered again (or
   * did not, within {@link #AWAIT}).
   *
   * @throws IllegalStateException when the scenario is not available here or a restart is running
   */
  public synchronized void start(Instant until, Consumer<Outcome> done) {
    if (availability() != Availability.READY) {
      throw new IllegalStateException("db-restart is not available: " + availability());
    }
    if (running) {
      throw new IllegalStateException("a database restart is already running");
    }
    Instant before = postmasterStart();
    Instant started = clock.instant();
    running = true;
    last =
        new Outcome(started, Optional.empty(), 0, "", before, Optional.empty(), Optional.empty());
    Thread.ofPlatform()
        .daemon()
        .name("maestro-chaos-db-restart")
        .start(
            () -> {
              try {
                Outcome o = run(started, before, until);
                last = o;
                done.accept(o);
              } finally {
                running = false;
              }
            });
  }

  private Outcome run(Instant started, Instant before, Instant until) {
    int exit;
    String output;
    try {
      Process p =
          new ProcessBuilder("/bin/sh", "-c", command)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      Tail tail = new Tail(p.getInputStream());
      Thread reader = Thread.ofVirtual().start(tail);
      long waitMs = Math.max(1, Duration.between(clock.instant(), until).toMillis());
      if (p.waitFor(waitMs, TimeUnit.MILLISECONDS)) {
        exit = p.exitValue();
      } else {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        exit = -1;
      }
      reader.join(Duration.ofSeconds(2));
      output = tail.text() + (exit == -1 ? "\n(killed: not finished within the fault window)" : "");
    } catch (IOException e) {
      exit = 127;
      output = "cannot run the restart command: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit = -1;
      output = "interrupted";
    }
    Instant finished = clock.instant();
    last =
        new Outcome(
            started,
            Optional.of(finished),
            exit,
            output,
            before,
            Optional.empty(),
            Optional.empty());
    // The database is judged by itself, not by the command's word: when did it start last?
    Optional<Instant> after = Optional.empty();
    Optional<Instant> answered = Optional.empty();
    long end = System.nanoTime() + AWAIT.toNanos();
    while (System.nanoTime() < end) {
      try {
        after = Optional.of(postmasterStart());
        answered = Optional.of(clock.instant());
        break;
      } catch (StoreException e) {
        sleep(Duration.ofMillis(200));
      }
    }
    return new Outcome(started, Optional.of(finished), exit, output, before, after, answered);
  }

  /** {@code pg_postmaster_start_time()}: when the database server last started. */
  Instant postmasterStart() {
    return db.inTransaction(
        io.maestro.store.TenantScope.platform(),
        tx ->
            tx.queryOne("SELECT pg_postmaster_start_time() AS t", rs -> Tx.instant(rs, "t"))
                .orElseThrow());
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads a process's output, keeping its last characters. */
  private static final class Tail implements Runnable {
    private final InputStream in;
    private final StringBuilder text = new StringBuilder();

    Tail(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buf = new byte[4096];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          synchronized (text) {
            text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            if (text.length() > OUTPUT_TAIL * 4) {
              text.delete(0, text.length() - OUTPUT_TAIL);
            }
          }
        }
      } catch (IOException e) {
        // The process ended or was killed: what was read is what there is.
      }
    }

    String text() {
      synchronized (text) {
        String s = text.toString().strip();
        return s.length() > OUTPUT_TAIL ? s.substring(s.length() - OUTPUT_TAIL) : s;
      }
    }
  }
}
