package io.maestro.engine.internal;

import io.maestro.core.TenantId;
import io.maestro.engine.RunLogs;
import io.maestro.engine.task.StepLog;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** A step's log with a byte budget per attempt; past it, one notice and silence. Thread-safe. */
public final class CappedStepLog implements StepLog {
  private final RunLogs logs;
  private final TenantId tenant;
  private final String runId;
  private final String stepId;
  private final long cap;
  private final AtomicLong used = new AtomicLong();

  public CappedStepLog(RunLogs logs, TenantId tenant, String runId, String stepId, long capBytes) {
    this.logs = logs;
    this.tenant = tenant;
    this.runId = runId;
    this.stepId = stepId;
    this.cap = capBytes;
  }

  @Override
  public void info(String line) {
    write("log", line);
  }

  @Override
  public void output(String stream, String line) {
    write(stream, line);
  }

  private void write(String stream, String line) {
    long size = line.getBytes(StandardCharsets.UTF_8).length + 1L;
    long before = used.getAndAdd(size);
    if (before + size <= cap) {
      logs.append(tenant, runId, Optional.of(stepId), stream, line);
    } else if (before <= cap) {
      used.set(cap + 1);
      logs.append(
          tenant,
          runId,
          Optional.of(stepId),
          "engine",
          "log output of this attempt exceeded " + cap + " bytes; further lines are dropped");
    }
  }
}
