package io.maestro.engine.queue;

/** What a queue row asks a worker to do when it comes due. */
public enum WorkKind {
  /** Run an attempt of a READY step (due now, or after a retry backoff). */
  EXECUTE,
  /** Wake a WAITING step: its timer fired, or the child run it waits for finished. */
  RESUME,
  /** The step's attempt ran past its timeout. */
  TIMEOUT
}
