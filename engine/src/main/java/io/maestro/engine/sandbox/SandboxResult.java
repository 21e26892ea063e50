package io.maestro.engine.sandbox;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a sandboxed command ended.
 *
 * @param reason why it ended
 * @param exitCode the status bubblewrap reported: the command's exit code, or {@code 128 + signal}
 *     when a signal ended it (the shell convention; a command calling {@code exit(137)} looks like
 *     {@code SIGKILL})
 * @param signal the terminating signal when {@code exitCode > 128}
 * @param wallTime time from start to the end of the process tree
 * @param peakMemoryBytes the largest resident size of the process tree the sampler saw (a lower
 *     bound: short peaks between samples are missed)
 * @param outputBytes bytes of output delivered to the consumer
 * @param droppedBytes bytes of output dropped after the cap
 * @param outputTruncated whether the output cap was reached
 */
public record SandboxResult(
    Reason reason,
    int exitCode,
    OptionalInt signal,
    Duration wallTime,
    long peakMemoryBytes,
    long outputBytes,
    long droppedBytes,
    boolean outputTruncated) {

  /** Why the command ended; the engine maps these to step outcomes. */
  public enum Reason {
    /** It exited by itself (any exit code; see {@link #succeeded()}). */
    EXITED,
    /** A signal ended it that no limit explains (e.g. {@code SIGSEGV}, {@code SIGABRT}). */
    SIGNALED,
    /** The wall-clock timeout passed; the sandbox killed the whole process tree. */
    TIMEOUT,
    /** The tree's resident memory passed the limit; the sandbox killed the whole process tree. */
    MEMORY_LIMIT,
    /**
     * A process used up its CPU time ({@code SIGXCPU}). A process that catches {@code SIGXCPU} and
     * carries on gets {@code SIGKILL} a second later, reported as {@link #SIGNALED}.
     */
    CPU_LIMIT,
    /** A process wrote past the file size limit ({@code SIGXFSZ}). */
    FILE_SIZE_LIMIT,
    /** The calling thread was interrupted; the sandbox killed the whole process tree. */
    CANCELLED;

    /** Whether the sandbox itself killed the process tree for this reason. */
    public boolean killedBySandbox() {
      return this == TIMEOUT || this == MEMORY_LIMIT || this == CANCELLED;
    }
  }

  public SandboxResult {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(wallTime, "wallTime");
  }

  /** Exited by itself with status 0. */
  public boolean succeeded() {
    return reason == Reason.EXITED && exitCode == 0;
  }

  /** A one-line account for the run log, e.g. {@code killed: memory limit (537 MB resident)}. */
  public String describe() {
    String text =
        switch (reason) {
          case EXITED -> "exited with status " + exitCode;
          case SIGNALED -> "ended by signal " + Signals.name(signal.orElse(0));
          case TIMEOUT -> "killed: wall-clock timeout after " + wallTime.toMillis() + " ms";
          case MEMORY_LIMIT ->
              "killed: memory limit (" + peakMemoryBytes / 1_000_000 + " MB resident)";
          case CPU_LIMIT -> "killed: CPU time limit (SIGXCPU)";
          case FILE_SIZE_LIMIT -> "killed: file size limit (SIGXFSZ)";
          case CANCELLED -> "killed: cancelled";
        };
    return outputTruncated
        ? text + "; output truncated (" + droppedBytes + " bytes dropped)"
        : text;
  }
}
