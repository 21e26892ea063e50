package io.maestro.engine.worker;

import io.maestro.engine.queue.WorkItem;

/**
 * Handles one kind of claimed queue row. Runs on its own virtual thread; interruption means the
 * lease was lost (cancel, timeout, redelivery) and the handler should stop.
 */
public interface WorkHandler {
  void handle(WorkItem item, String owner) throws InterruptedException;
}
