package io.maestro.perf;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * One workflow engine under load: started once, then asked to start runs of the benchmark's
 * three-step workflow (three service steps, each a durable job) and to report when they finished.
 * {@link Workload} drives every engine through the same phases.
 */
public interface Engine extends AutoCloseable {
  /** A short name for tables: {@code maestro}, {@code flowable}, {@code camunda}. */
  String name();

  /** Boots the engine on {@code database} and deploys the three-step workflow. */
  void start(BenchDatabase database) throws Exception;

  /** Requests one run; returns its id once the engine has accepted (committed) it. */
  String startRun() throws Exception;

  /**
   * Waits until every run in {@code ids} has finished or {@code deadline} passes; returns the
   * timings of the runs that finished (a run missing from the answer did not finish in time).
   */
  Map<String, RunTimes> awaitCompletion(Collection<String> ids, Instant deadline) throws Exception;

  /**
   * How many status reads the harness has sent to this engine so far: each one costs the engine
   * database transactions that are not the workload's, so {@link Workload} subtracts them from the
   * engine's commits. Zero for engines that report completion in-process.
   */
  default long statusReads() {
    return 0;
  }

  @Override
  void close() throws Exception;
}
