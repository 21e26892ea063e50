package io.maestro.core.background;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Background work repeated until the server stops: one named daemon thread runs a pass, rests, and
 * runs the next pass, until {@link #close()}. Every module runs its periodic work through this one
 * class (the receipt sequencer, the rollup folder, the SLO gauges, the scheduled jobs), so
 * starting, waking and stopping behave the same everywhere.
 *
 * <ul>
 *   <li>A pass that throws is logged with the thread's name, and the loop rests its interval and
 *       goes on: the work is always retried by a later pass.
 *   <li>{@link #wake()} ends the current rest early (or the next one, if a pass is running), for
 *       work that knows when it has something to do.
 *   <li>{@link #close()} ends a rest at once but never interrupts a pass: a pass may be inside a
 *       database transaction, and an interrupt inside JDBC can break the connection (H2 closes its
 *       file channel). It waits up to {@value #JOIN_SECONDS} seconds for a running pass to end.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class BackgroundLoop implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(BackgroundLoop.class.getName());

  /** How long {@link #close()} waits for a running pass. */
  static final int JOIN_SECONDS = 30;

  /** One pass of the work; returns how long to rest before the next (zero: run it at once). */
  @FunctionalInterface
  public interface Pass {
    Duration run(BackgroundLoop loop);
  }

  private final Duration interval;
  private final Pass pass;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean woken;

  private BackgroundLoop(String name, Duration first, Duration interval, Pass pass) {
    this.interval = requirePositive(interval, "interval");
    this.pass = Objects.requireNonNull(pass, "pass");
    this.thread = Thread.ofPlatform().daemon().name(name).unstarted(() -> loop(first));
  }

  /** Runs {@code pass} now, then again {@code interval} after each pass ends. */
  public static BackgroundLoop every(String name, Duration interval, Runnable pass) {
    return new BackgroundLoop(name, Duration.ZERO, interval, fixed(interval, pass)).start();
  }

  /**
   * Runs {@code pass} first one {@code interval} after start, then {@code interval} after each pass
   * ends (a fixed-delay schedule: for jobs that need not run while the server is starting).
   */
  public static BackgroundLoop afterEach(String name, Duration interval, Runnable pass) {
    return new BackgroundLoop(name, interval, interval, fixed(interval, pass)).start();
  }

  /**
   * Runs {@code pass} now and then after whatever rest each pass returns; after a pass that threw,
   * after {@code retry}.
   */
  public static BackgroundLoop paced(String name, Duration retry, Pass pass) {
    return new BackgroundLoop(name, Duration.ZERO, retry, pass).start();
  }

  private static Pass fixed(Duration interval, Runnable pass) {
    Objects.requireNonNull(pass, "pass");
    return loop -> {
      pass.run();
      return interval;
    };
  }

  private BackgroundLoop start() {
    thread.start();
    return this;
  }

  private void loop(Duration first) {
    rest(first, true);
    while (running) {
      Duration next;
      try {
        next = pass.run(this);
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            thread.getName() + ": pass failed, retrying in " + interval + ": " + e.getMessage(),
            e);
        next = interval;
      }
      rest(next, true);
    }
  }

  /** Whether the loop still runs (false once {@link #close()} was called). */
  public boolean running() {
    return running;
  }

  /** Ends the current rest now, or the next one if a pass is running. */
  public void wake() {
    woken = true;
    LockSupport.unpark(thread);
  }

  /**
   * Waits out {@code d} on the loop's thread, from inside a pass: wake-ups do not shorten it (a
   * pass that gathers work for a while), only {@link #close()} does. Wake-ups that arrived
   * meanwhile are forgotten, since the rest of the pass serves them.
   */
  public void hold(Duration d) {
    rest(d, false);
    woken = false;
  }

  private void rest(Duration d, boolean wakeable) {
    long until = System.nanoTime() + Math.max(0, d.toNanos());
    while (running) {
      if (wakeable && woken) {
        woken = false;
        return;
      }
      long left = until - System.nanoTime();
      if (left <= 0) {
        return;
      }
      LockSupport.parkNanos(this, left);
    }
  }

  /** Stops the loop without interrupting a pass, and waits for a running pass to end. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    if (Thread.currentThread() == thread) {
      return; // a pass that closes its own loop ends with the pass
    }
    try {
      thread.join(Duration.ofSeconds(JOIN_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Duration requirePositive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
    return d;
  }
}
