package io.maestro.perf;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * The phases every engine goes through, identically: a burst of concurrent starts, a sustained
 * closed loop of clients, and an open loop of arrivals at a fixed rate. Every loop is bounded in
 * count and every wait in time ({@link #PHASE_DEADLINE}).
 */
public final class Workload {
  /** The longest any phase may take before its unfinished runs are counted as not completed. */
  static final Duration PHASE_DEADLINE = Duration.ofMinutes(5);

  /** Runs in flight the open loop allows at most (outstanding start requests). */
  static final int OPEN_LOOP_CAP = 1_000;

  private final Engine engine;
  private final BenchDatabase database;

  public Workload(Engine engine, BenchDatabase database) {
    this.engine = engine;
    this.database = database;
  }

  /** Starts {@code n} runs one after the other and waits for them (no measurement). */
  public void warmUp(int n) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(engine.startRun());
    }
    engine.awaitCompletion(ids, Instant.now().plus(PHASE_DEADLINE));
  }

  /** {@code n} runs requested at the same moment, each from its own virtual thread. */
  public PhaseResult burst(int n) throws Exception {
    Map<String, Instant> requested = new ConcurrentHashMap<>();
    AtomicInteger errors = new AtomicInteger();
    Meter meter = Meter.start(database);
    long reads = engine.statusReads();
    CountDownLatch ready = new CountDownLatch(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    ready.countDown();
                    try {
                      go.await();
                      request(requested, Instant.now(), errors);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    ready.await();
    go.countDown();
    joinAll(threads);
    return finish("burst", n, requested, errors, meter, reads, 0);
  }

  /** {@code n} runs requested by {@code clients} clients, each starting the next when accepted. */
  public PhaseResult sustained(int n, int clients) throws Exception {
    Map<String, Instant> requested = new ConcurrentHashMap<>();
    AtomicInteger errors = new AtomicInteger();
    Semaphore budget = new Semaphore(n);
    Meter meter = Meter.start(database);
    long reads = engine.statusReads();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (budget.tryAcquire()) {
                      request(requested, Instant.now(), errors);
                    }
                  }));
    }
    joinAll(threads);
    return finish("sustained", n, requested, errors, meter, reads, 0);
  }

  /**
   * {@code n} arrivals at a fixed {@code perSecond}, whether or not earlier runs finished (open
   * loop). Latency counts from each arrival's scheduled time, so a harness or engine that falls
   * behind shows up in the figures. At most {@link #OPEN_LOOP_CAP} start requests are outstanding.
   */
  public PhaseResult openLoop(int n, double perSecond) throws Exception {
    Map<String, Instant> scheduled = new ConcurrentHashMap<>();
    AtomicInteger errors = new AtomicInteger();
    Semaphore inFlight = new Semaphore(OPEN_LOOP_CAP);
    Meter meter = Meter.start(database);
    long reads = engine.statusReads();
    List<Thread> threads = new ArrayList<>();
    Instant begin = Instant.now();
    long beginNanos = System.nanoTime();
    long intervalNanos = (long) (1e9 / perSecond);
    for (int i = 0; i < n; i++) {
      long due = beginNanos + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      Instant arrival = begin.plusNanos(i * intervalNanos);
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      if (inFlight.tryAcquire(PHASE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                        try {
                          request(scheduled, arrival, errors);
                        } finally {
                          inFlight.release();
                        }
                      } else {
                        errors.incrementAndGet();
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    joinAll(threads);
    return finish("open-loop", n, scheduled, errors, meter, reads, perSecond);
  }

  private void request(Map<String, Instant> requested, Instant at, AtomicInteger errors) {
    try {
      requested.put(engine.startRun(), at);
    } catch (Exception e) {
      if (errors.incrementAndGet() == 1) {
        System.out.println("  first request error: " + e);
      }
    }
  }

  private static void joinAll(List<Thread> threads) throws InterruptedException {
    Instant deadline = Instant.now().plus(PHASE_DEADLINE);
    for (Thread t : threads) {
      long ms = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
      if (!t.join(Duration.ofMillis(ms))) {
        throw new IllegalStateException("start requests did not return within " + PHASE_DEADLINE);
      }
    }
  }

  private PhaseResult finish(
      String phase,
      int n,
      Map<String, Instant> requested,
      AtomicInteger errors,
      Meter meter,
      long readsBefore,
      double perSecond)
      throws Exception {
    Map<String, RunTimes> done =
        engine.awaitCompletion(requested.keySet(), Instant.now().plus(PHASE_DEADLINE));
    Meter.Cost cost = meter.stop();
    long harnessCommits = harnessCommits(engine.statusReads() - readsBefore, done);
    Histogram latency = new Histogram(3_600_000_000L, 3);
    Instant first = Instant.MAX;
    Instant last = Instant.MIN;
    int completed = 0;
    List<long[]> events = new ArrayList<>();
    for (Map.Entry<String, Instant> e : requested.entrySet()) {
      Instant at = e.getValue();
      first = at.isBefore(first) ? at : first;
      RunTimes t = done.get(e.getKey());
      if (t == null) {
        continue;
      }
      latency.recordValue(Math.max(0, Duration.between(at, t.firstStepStarted()).toNanos() / 1000));
      last = t.finished().isAfter(last) ? t.finished() : last;
      events.add(new long[] {micros(at), 1});
      events.add(new long[] {micros(t.finished()), -1});
      if (t.succeeded()) {
        completed++;
      }
    }
    double secs = completed == 0 ? 0 : Duration.between(first, last).toNanos() / 1e9;
    long commits = cost.commits() < 0 ? -1 : cost.commits() - harnessCommits;
    return new PhaseResult(
        phase,
        n,
        errors.get() + (requested.size() - done.size()),
        completed,
        latency.getValueAtPercentile(50) / 1000.0,
        latency.getValueAtPercentile(95) / 1000.0,
        latency.getValueAtPercentile(99) / 1000.0,
        latency.getMaxValue() / 1000.0,
        secs,
        secs > 0 ? completed / secs : 0,
        perSecond,
        maxConcurrent(events),
        cost.systemCpu(),
        cost.processCpu(),
        commits,
        cost.commits() < 0 ? 0 : harnessCommits,
        cost.loadAverage());
  }

  /**
   * The database commits the harness's own status reads caused during the phase: the phase's read
   * count times the commits of one read, measured by reading up to 200 finished runs once more.
   */
  private long harnessCommits(long reads, Map<String, RunTimes> done) throws Exception {
    if (reads <= 0 || !database.isPostgres() || done.isEmpty()) {
      return 0;
    }
    List<String> sample = done.keySet().stream().limit(200).toList();
    long c0 = database.commits();
    long r0 = engine.statusReads();
    engine.awaitCompletion(sample, Instant.now().plus(PHASE_DEADLINE));
    long perRead = engine.statusReads() - r0;
    double commitsPerRead = perRead == 0 ? 0 : (database.commits() - c0) / (double) perRead;
    return Math.round(reads * commitsPerRead);
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }

  /** The most runs in flight at once, from (time, +1 start / -1 finish) events. */
  private static int maxConcurrent(List<long[]> events) {
    events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int now = 0;
    int max = 0;
    for (long[] e : events) {
      now += (int) e[1];
      max = Math.max(max, now);
    }
    return max;
  }
}
