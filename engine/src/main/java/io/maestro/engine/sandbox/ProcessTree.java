package io.maestro.engine.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host-side view of a sandbox's processes: the bubblewrap monitor the JVM started and every
 * descendant, found through {@code /proc} (the sandbox's own PID namespace hides nothing from the
 * host).
 *
 * <p>Killing works without cgroups: the monitor's child is the init process of the sandbox's PID
 * namespace, and when a namespace's init dies the kernel kills every other process in it, including
 * any that called {@code setsid} or double-forked to leave the session. The descendants are killed
 * too, and the monitor last, so nothing survives even if the init has already gone.
 */
final class ProcessTree {
  private final ProcessHandle monitor;

  ProcessTree(ProcessHandle monitor) {
    this.monitor = monitor;
  }

  /** Sends SIGKILL to the namespace init, every descendant and the monitor. */
  void kill() {
    monitor.children().forEach(ProcessHandle::destroyForcibly);
    List<ProcessHandle> all = monitor.descendants().toList();
    all.forEach(ProcessHandle::destroyForcibly);
    monitor.destroyForcibly();
  }

  /**
   * Memory of the tree now: the sum of proportional set sizes (shared pages split between the
   * processes sharing them, so a hundred forked shells are not counted a hundred times), or of
   * resident sizes where {@code smaps_rollup} cannot be read. Processes that vanish while being
   * read count as zero.
   */
  long memoryBytes() {
    long total = 0;
    for (ProcessHandle p : monitor.descendants().toList()) {
      total += memoryOf(p.pid());
    }
    return total;
  }

  /**
   * Waits until the sandbox's PID namespace init has finished exiting, i.e. until it is a zombie or
   * gone. Bubblewrap's monitor can exit as soon as the command's status is known, while the init is
   * still killing the rest of the namespace; once the init is a zombie the kernel has reaped every
   * other process of the namespace. Returns false if that did not happen within {@code maxMillis}.
   */
  static boolean awaitNamespaceEnd(long initPid, long maxMillis) {
    long deadline = System.nanoTime() + maxMillis * 1_000_000L;
    boolean interrupted = false;
    try {
      while (true) {
        if (!runningNonZombie(initPid)) {
          return true;
        }
        if (System.nanoTime() > deadline) {
          return false;
        }
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static boolean runningNonZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // "pid (comm) S ...": the command name may contain spaces and parentheses.
      int end = stat.lastIndexOf(')');
      char state = stat.charAt(end + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static long memoryOf(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    long pss = kilobytes(proc.resolve("smaps_rollup"), "Pss:");
    if (pss >= 0) {
      return pss * 1024;
    }
    long rss = kilobytes(proc.resolve("status"), "VmRSS:");
    return Math.max(rss, 0) * 1024;
  }

  private static long kilobytes(Path file, String field) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(field)) {
          String[] parts = line.substring(field.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]);
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
