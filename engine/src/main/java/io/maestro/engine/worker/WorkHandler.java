package io.maestro.engine.worker;

import io.maestro.engine.queue.WorkItem;

/**
 * Handles one kind of claimed queue row. Runs on its own virtual thread; interruption means the
 * lease was lost (cancel, timeout, redelivery) and the handler should stop. A handler runs its
 * database work through {@link Lease#database} (so that it is never interrupted inside JDBC) and
 * calls {@link Lease#finishing()} before the transaction that settles the row.
 */
public interface WorkHandler {
  void handle(WorkItem item, String owner, Lease lease) throws InterruptedException;
}
