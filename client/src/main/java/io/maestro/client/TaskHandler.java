package io.maestro.client;

/**
 * The code a {@link Worker} runs for each task. Delivery is at-least-once: when a worker dies
 * holding a task, another gets it again with the same {@link WorkerTask#idempotencyKey()} and a
 * higher {@link WorkerTask#delivery()}, so a handler with side effects should make a repeat
 * harmless. Called concurrently (up to the worker's concurrency), each call on its own virtual
 * thread; an interrupt means the lease was lost or the worker is shutting down.
 */
@FunctionalInterface
public interface TaskHandler {
  /**
   * @return the task's outputs: any JSON-shaped value (a Map, a List, a record Jackson can write)
   * @throws TaskFailure to fail the task, retryable or not; any other exception fails it as
   *     retryable
   */
  Object handle(WorkerTask task) throws Exception;
}
