package io.maestro.engine.task;

/**
 * The run log as a task sees it. Lines are visible to readers (and {@code --follow}) as soon as the
 * call returns. Each attempt may write a bounded number of bytes; past the cap one truncation
 * notice is written and further lines are dropped. Never write secrets here.
 */
public interface StepLog {
  /** A line in the {@code log} stream (engine and task messages). */
  void info(String line);

  /** A line of a process's output: stream {@code stdout} or {@code stderr}. */
  void output(String stream, String line);
}
