package io.maestro.engine.sandbox;

import io.maestro.core.problem.MaestroException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Resource limits of one sandboxed command. Every limit is mandatory and positive; {@link
 * #defaults()} gives values suited to a short build or script step.
 *
 * @param cpuSeconds CPU time per process ({@code RLIMIT_CPU}); the kernel sends {@code SIGXCPU} at
 *     this many seconds (reported as {@link SandboxResult.Reason#CPU_LIMIT}) and {@code SIGKILL}
 *     one second later to a process that ignores it.
 * @param memoryBytes resident memory of the whole process tree (sum of proportional set sizes),
 *     sampled by the sandbox; exceeding it kills the tree, reported as {@link
 *     SandboxResult.Reason#MEMORY_LIMIT}.
 * @param addressSpaceBytes virtual address space per process ({@code RLIMIT_AS}): the kernel's hard
 *     backstop against allocations faster than the sampling. An allocation beyond it fails inside
 *     the program with {@code ENOMEM}; what the program then does (exit, abort) is its own.
 * @param maxProcesses processes and threads of the sandbox user inside the sandbox ({@code
 *     RLIMIT_NPROC}, counted per sandbox because each sandbox has its own user namespace);
 *     bubblewrap's reaper counts as one. {@code fork} beyond it fails with {@code EAGAIN}.
 * @param openFiles open file descriptors per process ({@code RLIMIT_NOFILE}).
 * @param fileSizeBytes largest file a process may write ({@code RLIMIT_FSIZE}); exceeding it sends
 *     {@code SIGXFSZ}, reported as {@link SandboxResult.Reason#FILE_SIZE_LIMIT}.
 * @param tmpBytes size of the tmpfs mounted at {@code /tmp} (the only writable place); writes
 *     beyond it fail with {@code ENOSPC}. The tmpfs lives in memory, outside {@code memoryBytes}.
 * @param timeout wall-clock time after which the whole process tree is killed, reported as {@link
 *     SandboxResult.Reason#TIMEOUT}.
 * @param outputBytes bytes of stdout and stderr together delivered to the output consumer; beyond
 *     it output is drained and counted but dropped, and the result says so.
 */
public record SandboxLimits(
    int cpuSeconds,
    long memoryBytes,
    long addressSpaceBytes,
    int maxProcesses,
    int openFiles,
    long fileSizeBytes,
    long tmpBytes,
    Duration timeout,
    long outputBytes) {

  private static final long MIB = 1024L * 1024L;

  public SandboxLimits {
    Objects.requireNonNull(timeout, "timeout");
    positive("cpuSeconds", cpuSeconds);
    positive("memoryBytes", memoryBytes);
    positive("addressSpaceBytes", addressSpaceBytes);
    // Bubblewrap's reaper and prlimit's exec take one process slot before the command starts.
    if (maxProcesses < 2) {
      throw invalid("maxProcesses must be at least 2, was " + maxProcesses);
    }
    // The dynamic loader and a shell need a handful of descriptors of their own.
    if (openFiles < 16) {
      throw invalid("openFiles must be at least 16, was " + openFiles);
    }
    positive("fileSizeBytes", fileSizeBytes);
    if (tmpBytes < 4096) {
      throw invalid("tmpBytes must be at least 4096, was " + tmpBytes);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw invalid("timeout must be positive, was " + timeout);
    }
    positive("outputBytes", outputBytes);
  }

  /**
   * 60 s of CPU, 512 MiB resident, 4 GiB address space, 128 processes, 256 files, 64 MiB files and
   * {@code /tmp}, a 5-minute timeout and 1 MiB of output.
   */
  public static SandboxLimits defaults() {
    return new SandboxLimits(
        60, 512 * MIB, 4096 * MIB, 128, 256, 64 * MIB, 64 * MIB, Duration.ofMinutes(5), MIB);
  }

  public SandboxLimits withCpuSeconds(int value) {
    return copy(c -> c.cpuSeconds = value);
  }

  /** Resident memory of the tree; the per-process address space stays as it is. */
  public SandboxLimits withMemoryBytes(long value) {
    return copy(c -> c.memoryBytes = value);
  }

  public SandboxLimits withAddressSpaceBytes(long value) {
    return copy(c -> c.addressSpaceBytes = value);
  }

  public SandboxLimits withMaxProcesses(int value) {
    return copy(c -> c.maxProcesses = value);
  }

  public SandboxLimits withOpenFiles(int value) {
    return copy(c -> c.openFiles = value);
  }

  public SandboxLimits withFileSizeBytes(long value) {
    return copy(c -> c.fileSizeBytes = value);
  }

  public SandboxLimits withTmpBytes(long value) {
    return copy(c -> c.tmpBytes = value);
  }

  public SandboxLimits withTimeout(Duration value) {
    return copy(c -> c.timeout = value);
  }

  public SandboxLimits withOutputBytes(long value) {
    return copy(c -> c.outputBytes = value);
  }

  // Every wither goes through one copy, so a new limit is added here and in Copy, not in each
  // wither. The copy is built with the canonical constructor, so it is validated like any other.
  private SandboxLimits copy(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** The limits, mutable only inside one {@link #copy} call. */
  private static final class Copy {
    int cpuSeconds;
    long memoryBytes;
    long addressSpaceBytes;
    int maxProcesses;
    int openFiles;
    long fileSizeBytes;
    long tmpBytes;
    Duration timeout;
    long outputBytes;

    Copy(SandboxLimits l) {
      cpuSeconds = l.cpuSeconds();
      memoryBytes = l.memoryBytes();
      addressSpaceBytes = l.addressSpaceBytes();
      maxProcesses = l.maxProcesses();
      openFiles = l.openFiles();
      fileSizeBytes = l.fileSizeBytes();
      tmpBytes = l.tmpBytes();
      timeout = l.timeout();
      outputBytes = l.outputBytes();
    }

    SandboxLimits build() {
      return new SandboxLimits(
          cpuSeconds,
          memoryBytes,
          addressSpaceBytes,
          maxProcesses,
          openFiles,
          fileSizeBytes,
          tmpBytes,
          timeout,
          outputBytes);
    }
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw invalid(name + " must be positive, was " + value);
    }
  }

  private static MaestroException invalid(String detail) {
    return MaestroException.of(SandboxErrors.INVALID_REQUEST, detail);
  }
}
