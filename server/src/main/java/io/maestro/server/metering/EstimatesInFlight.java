package io.maestro.server.metering;

import io.maestro.core.TenantId;
import io.maestro.engine.registry.PublishedWorkflow;
import io.maestro.metering.CostEstimate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Estimates of a workflow version computed once for the starts that ask at the same moment. An
 * estimate reads the version's recent history (up to 500 step attempts and 20 runs); starts of a
 * burst would each read the same history and get the same answer. A start that arrives while an
 * estimate of the same tenant, workflow, version and manifest digest is being computed waits for
 * that one and shares it; a start that arrives after it finished computes a new one, so no start is
 * answered from history older than its own arrival (nothing is kept). {@code /api/plan} does not
 * use it. Thread-safe.
 */
final class EstimatesInFlight {
  private record Key(TenantId tenant, String workflow, String version, String digest) {}

  private final Map<Key, CompletableFuture<CostEstimate>> computing = new ConcurrentHashMap<>();

  /** The version's estimate: the one being computed now, or a new one from {@code compute}. */
  CostEstimate estimate(TenantId tenant, PublishedWorkflow wf, Supplier<CostEstimate> compute) {
    Key key = new Key(tenant, wf.name(), wf.version(), wf.digest());
    CompletableFuture<CostEstimate> mine = new CompletableFuture<>();
    CompletableFuture<CostEstimate> running = computing.putIfAbsent(key, mine);
    if (running != null) {
      return join(running, compute);
    }
    try {
      CostEstimate e = compute.get();
      mine.complete(e);
      return e;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      computing.remove(key, mine);
    }
  }

  /** Waits for the estimate in progress; if it failed, this start computes its own. */
  private static CostEstimate join(
      CompletableFuture<CostEstimate> running, Supplier<CostEstimate> compute) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return running.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          return compute.get();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
