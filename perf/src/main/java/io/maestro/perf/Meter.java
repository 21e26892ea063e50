package io.maestro.perf;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a phase cost the machine: system-wide CPU (from {@code /proc/stat} deltas), this JVM's own
 * CPU (the engine's process; the harness's clients run in it too), the load average at the end, and
 * the engine database's commits.
 */
final class Meter {
  private final BenchDatabase database;
  private final long[] procStat;
  private final long processCpuNanos;
  private final long wallNanos;
  private final long commits;

  private Meter(BenchDatabase database) throws Exception {
    this.database = database;
    this.commits = database.commits();
    this.procStat = procStat();
    this.processCpuNanos = processCpuNanos();
    this.wallNanos = System.nanoTime();
  }

  static Meter start(BenchDatabase database) throws Exception {
    return new Meter(database);
  }

  /** The cost since {@link #start}; {@code commits} is -1 where the database cannot say. */
  Cost stop() throws Exception {
    long wall = System.nanoTime() - wallNanos;
    long cpu = processCpuNanos() - processCpuNanos;
    long[] now = procStat();
    String load = loadAverage();
    long commitsNow = database.commits();
    double system = -1;
    if (procStat != null && now != null) {
      long total = now[0] - procStat[0];
      long idle = now[1] - procStat[1];
      system = total > 0 ? 100.0 * (total - idle) / total : -1;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    double process = wall > 0 ? 100.0 * cpu / ((double) wall * cores) : -1;
    return new Cost(system, process, commits < 0 ? -1 : commitsNow - commits, load);
  }

  /** CPU in % of all cores (system-wide and the engine's JVM), commits, and the load average. */
  record Cost(double systemCpu, double processCpu, long commits, String loadAverage) {}

  /** {total jiffies, idle + iowait jiffies} of the first line of /proc/stat, or null. */
  private static long[] procStat() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        total += Long.parseLong(f[i]);
      }
      return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }

  /** The 1-minute load average, or "?" where /proc/loadavg is missing. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
