package io.maestro.engine.worker;

import io.maestro.engine.queue.WorkItem;

/**
 * Handles one kind of queue row, as the phases of {@link Attempts#claim} and {@link
 * Attempts#proceed}: a first transaction (which also claims the row when the pool claims as it
 * prepares), the executor outside any transaction, and a transaction that records the outcome. Runs
 * on its own virtual thread; interruption means the lease was lost (cancel, timeout, redelivery)
 * and the handler should stop.
 */
public interface WorkHandler {
  /**
   * How to handle {@code item}, claimed (or being claimed) by {@code owner} under {@code lease}.
   */
  Attempts.Phases phases(WorkItem item, String owner, Lease lease);
}
