package io.maestro.evidence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a disclosure pack needs to know about a run, from the modules that own it (the engine's run
 * queries and logs, the tenancy record's regions). The server adapts those modules' Java APIs to
 * this port, so the evidence module never reads another module's tables. Implementations are
 * thread-safe and read in their own short transactions.
 */
public interface RunEvidence {

  /** The run as its owner shows it, or empty when the tenant has no such run. */
  Optional<RunFacts> run(TenantId tenant, String runId);

  /** Up to {@code limit} log lines of the run with {@code seq > afterSeq}, oldest first. */
  List<LogEntry> logs(TenantId tenant, String runId, long afterSeq, int limit);

  /** The regions the tenant may use (its residency), its home region first. */
  List<String> tenantRegions(TenantId tenant);

  /**
   * A run.
   *
   * @param run the run document as the API shows it, with its {@code steps} array in manifest order
   * @param region where the run's artifacts live: the workflow's region, else the tenant's home
   *     region
   * @param finished whether the run has reached a terminal status
   * @param manifestSource the workflow manifest exactly as published
   * @param manifestDigest the digest the run recorded for that manifest
   * @param admission the decision that admitted the run, when stored with it
   */
  record RunFacts(
      String runId,
      String workflow,
      String version,
      String region,
      boolean finished,
      ObjectNode run,
      String manifestSource,
      String manifestDigest,
      Optional<Decision> admission) {
    public RunFacts {
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(run, "run");
      Objects.requireNonNull(manifestSource, "manifestSource");
      Objects.requireNonNull(admission, "admission");
    }
  }

  /**
   * One run log line.
   *
   * @param stepId the step that wrote it; empty for the engine's run-level lines
   * @param line the line as the log API shows it
   */
  record LogEntry(long seq, Optional<String> stepId, ObjectNode line) {}
}
