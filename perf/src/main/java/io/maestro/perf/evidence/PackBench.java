package io.maestro.perf.evidence;

import io.maestro.core.TenantId;
import io.maestro.engine.RunLogs;
import io.maestro.evidence.verify.PackReport;
import io.maestro.evidence.verify.PackVerifier;
import io.maestro.perf.BenchDatabase;
import io.maestro.perf.MaestroEngine;
import io.maestro.store.TenantScope;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a disclosure pack of a run with a large log takes, and how much heap the server needs
 * for it: starts a real server (embedded H2 in a temporary directory) in this JVM, runs a
 * three-step workflow, appends {@code --log-mb} MiB of log lines to the finished run through the
 * engine's {@link RunLogs} API, then downloads {@code GET /api/runs/{id}/disclosure} to a file and
 * verifies it. Run the JVM with {@code -Xmx256m}: finishing at all proves the pack streams. Reports
 * the wall time of the request, the pack's size and the peak heap used, sampled every 20 ms, beside
 * the load average (the machine may be shared).
 *
 * <pre>perf/bin/evidence-pack [--log-mb 1024] [--skip-build]</pre>
 */
public final class PackBench {
  private static final int LINE = 1_000;
  private static final int BATCH = 5_000;

  private PackBench() {}

  public static void main(String[] args) throws Exception {
    long logMb = 1024;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--log-mb")) {
        logMb = Long.parseLong(args[++i]);
      }
    }
    Path dir = Files.createTempDirectory("maestro-pack-bench");
    try (BenchDatabase db = BenchDatabase.h2(dir, "maestro", 8);
        MaestroEngine maestro = new MaestroEngine()) {
      maestro.start(db);
      String runId = maestro.startRun();
      maestro.awaitCompletion(List.of(runId), Instant.now().plusSeconds(120));
      long seedStart = System.nanoTime();
      long bytes = seed(maestro, runId, logMb << 20);
      System.out.printf(
          "seeded run %s with %,d bytes of log in %.1f s%n",
          runId, bytes, (System.nanoTime() - seedStart) / 1e9);

      System.gc();
      HeapSampler sampler = new HeapSampler();
      Thread t = Thread.ofPlatform().daemon().start(sampler);
      double load = load();
      Path pack = dir.resolve("pack.tgz");
      long start = System.nanoTime();
      HttpResponse<Path> r = maestro.download("/api/runs/" + runId + "/disclosure", pack);
      double seconds = (System.nanoTime() - start) / 1e9;
      sampler.stop();
      t.join();
      if (r.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + r.statusCode() + ": " + Files.readString(pack));
      }
      long verifyStart = System.nanoTime();
      PackReport report;
      try (InputStream in = Files.newInputStream(pack)) {
        report =
            PackVerifier.verify(
                in,
                io.maestro.provenance.keys.TrustedKeys.fromJwks(
                    new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(
                            Files.readString(
                                maestro
                                    .download("/.well-known/maestro/keys", dir.resolve("keys.json"))
                                    .body()))));
      }
      double verifySeconds = (System.nanoTime() - verifyStart) / 1e9;
      System.out.printf(
          "pack: %.1f s for %,d MiB of log -> %,d bytes (sha256 %s); peak heap used %,d MiB"
              + " (max %,d MiB); load average %.2f before, %.2f after%n",
          seconds,
          logMb,
          Files.size(pack),
          r.headers().firstValue("X-Maestro-SHA256").orElse("?"),
          sampler.peak() >> 20,
          Runtime.getRuntime().maxMemory() >> 20,
          load,
          load());
      System.out.printf(
          "verify: %.1f s, %s, %d files, %d receipts%n",
          verifySeconds,
          report.ok() ? "OK" : "FAILED " + report.failures(),
          report.files(),
          report.receipts());
    } finally {
      deleteTree(dir);
    }
  }

  /** Appends lines of about {@value #LINE} bytes to the run's three steps until {@code target}. */
  static long seed(MaestroEngine maestro, String runId, long target) {
    TenantId tenant = TenantId.of("perf");
    RunLogs logs = new RunLogs(maestro.database(), Clock.systemUTC());
    SplittableRandom random = new SplittableRandom(42);
    String[] steps = {"one", "two", "three"};
    long written = 0;
    long n = 0;
    while (written < target) {
      long from = n;
      long[] batchBytes = {0};
      maestro
          .database()
          .useTransaction(
              TenantScope.of(tenant),
              tx -> {
                for (int i = 0; i < BATCH; i++) {
                  String line = line(random, from + i);
                  logs.append(
                      tx,
                      tenant,
                      runId,
                      Optional.of(steps[(int) ((from + i) % 3)]),
                      "stdout",
                      line);
                  batchBytes[0] += line.length();
                }
              });
      n += BATCH;
      written += batchBytes[0];
    }
    return written;
  }

  private static String line(SplittableRandom random, long n) {
    StringBuilder b = new StringBuilder(LINE);
    b.append("line ").append(n).append(' ');
    while (b.length() < LINE) {
      b.append(Long.toHexString(random.nextLong())).append(' ');
    }
    b.setLength(LINE);
    return b.toString();
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Samples the heap in use every 20 ms. */
  static final class HeapSampler implements Runnable {
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;

    @Override
    public void run() {
      List<MemoryPoolMXBean> heap =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(p -> p.getType() == MemoryType.HEAP)
              .toList();
      while (running) {
        long used = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        peak.accumulateAndGet(used, Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void stop() {
      running = false;
    }

    long peak() {
      return peak.get();
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
