package io.maestro.engine.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Reads one output stream of the sandboxed process, splits it into lines and hands them to the
 * shared {@link Budget}. Reading never stops before end of stream, even after the cap, so the
 * command never blocks on a full pipe; bytes past the cap are only counted.
 */
final class OutputPump implements Runnable {
  private final InputStream in;
  private final SandboxOutput.Channel channel;
  private final Budget budget;

  OutputPump(InputStream in, SandboxOutput.Channel channel, Budget budget) {
    this.in = in;
    this.channel = channel;
    this.budget = budget;
  }

  @Override
  public void run() {
    byte[] buf = new byte[8192];
    byte[] line = new byte[Sandbox.MAX_LINE_BYTES];
    int len = 0;
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (b == '\n') {
            budget.deliver(channel, line, len, true);
            len = 0;
          } else {
            if (len == line.length) {
              budget.deliver(channel, line, len, false);
              len = 0;
            }
            line[len++] = b;
          }
        }
      }
      if (len > 0) {
        budget.deliver(channel, line, len, false);
      }
    } catch (IOException e) {
      // The stream closes under us when the process tree is killed; what was read is kept.
      if (len > 0) {
        budget.deliver(channel, line, len, false);
      }
    }
  }

  /**
   * The output cap shared by stdout and stderr, and the single point through which lines reach the
   * consumer (which is why it is synchronized: the consumer is promised serialized calls).
   */
  static final class Budget {
    private final long cap;
    private final SandboxOutput sink;
    private long delivered;
    private long dropped;
    private boolean truncated;
    private RuntimeException sinkFailure;
    private final ArrayDeque<String> lastErrors = new ArrayDeque<>();
    private long stdoutLines;
    private long stderrLines;

    Budget(long cap, SandboxOutput sink) {
      this.cap = cap;
      this.sink = sink;
    }

    synchronized void deliver(
        SandboxOutput.Channel channel, byte[] bytes, int length, boolean newline) {
      long size = length + (newline ? 1 : 0);
      if (channel == SandboxOutput.Channel.STDERR) {
        remember(bytes, length);
        stderrLines++;
      } else {
        stdoutLines++;
      }
      if (truncated) {
        dropped += size;
        return;
      }
      long room = cap - delivered;
      if (size <= room) {
        delivered += size;
        emit(channel, bytes, length);
        return;
      }
      // Keep the part of the line that fits, cut at a character boundary, then stop.
      int keep = (int) Math.min(length, room);
      while (keep > 0 && keep < length && (bytes[keep] & 0xC0) == 0x80) {
        keep--;
      }
      if (keep > 0) {
        delivered += keep;
        emit(channel, bytes, keep);
      }
      dropped += size - keep;
      truncated = true;
      if (sinkFailure == null) {
        try {
          sink.truncated(cap);
        } catch (RuntimeException e) {
          sinkFailure = e;
        }
      }
    }

    private void emit(SandboxOutput.Channel channel, byte[] bytes, int length) {
      if (sinkFailure != null) {
        return;
      }
      try {
        sink.line(channel, new String(bytes, 0, length, StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        sinkFailure = e;
      }
    }

    /**
     * Keeps the last few stderr lines whatever the cap, because when bubblewrap cannot build the
     * sandbox its reason is there and belongs in the error.
     */
    private void remember(byte[] bytes, int length) {
      if (lastErrors.size() == 5) {
        lastErrors.removeFirst();
      }
      lastErrors.addLast(new String(bytes, 0, Math.min(length, 500), StandardCharsets.UTF_8));
    }

    synchronized List<String> lastErrors() {
      return List.copyOf(lastErrors);
    }

    /**
     * Whether the output is exactly one stderr line from bubblewrap itself ({@code bwrap: ...}) and
     * nothing else: what a failure to build the sandbox looks like once bubblewrap has forked.
     */
    synchronized boolean onlyBwrapError() {
      return stdoutLines == 0
          && stderrLines == 1
          && !lastErrors.isEmpty()
          && lastErrors.getFirst().startsWith("bwrap: ");
    }

    synchronized long delivered() {
      return delivered;
    }

    synchronized long dropped() {
      return dropped;
    }

    synchronized boolean truncated() {
      return truncated;
    }

    synchronized RuntimeException sinkFailure() {
      return sinkFailure;
    }
  }
}
