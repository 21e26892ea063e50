package io.maestro.rego.bench;

import io.maestro.rego.EvalOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Thread CPU time per decision of the benchmark policy. Unlike wall-clock latency it is not
 * inflated when other processes compete for the CPU, so it shows the engine's own cost on a shared
 * machine. Run with {@code rego/run-benchmark.sh cpu-time}.
 */
public final class CpuTimeReport {
  private CpuTimeReport() {}

  public static void main(String[] args) {
    BenchFixture fx = new BenchFixture();
    EvalOptions options = EvalOptions.defaults();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int w = 0; w < 300_000; w++) {
      fx.policy.eval(BenchFixture.QUERY, fx.inputs[w & 255], options);
    }
    int batches = 100_000;
    int batch = 20;
    long[] cpu = new long[batches];
    for (int i = 0; i < batches; i++) {
      long t = mx.getCurrentThreadCpuTime();
      for (int j = 0; j < batch; j++) {
        fx.policy.eval(BenchFixture.QUERY, fx.inputs[(i * batch + j) & 255], options);
      }
      cpu[i] = (mx.getCurrentThreadCpuTime() - t) / batch;
    }
    Arrays.sort(cpu);
    System.out.printf(
        "CPU time per decision (mean of %d): median %.2f us, p99 %.2f us%n",
        batch, cpu[batches / 2] / 1000.0, cpu[(int) (batches * 0.99)] / 1000.0);
  }
}
