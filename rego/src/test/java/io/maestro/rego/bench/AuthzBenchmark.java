package io.maestro.rego.bench;

import io.maestro.rego.EvalOptions;
import io.maestro.rego.ResultSet;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One authorization decision per call (RBAC over 1,000 bindings, ABAC, tenant isolation, quota).
 * {@code decisionLatency} samples single-thread latency (median and p99 in the report); {@code
 * decisionThroughput} measures decisions per second on two threads.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AuthzBenchmark {
  private BenchFixture fixture;
  private EvalOptions options;
  private int next;

  @Setup
  public void setUp() {
    fixture = new BenchFixture();
    options = EvalOptions.defaults().withClock(Clock.systemUTC());
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Threads(1)
  public ResultSet decisionLatency() {
    int i = (next++) & (fixture.inputs.length - 1);
    return fixture.policy.eval(BenchFixture.QUERY, fixture.inputs[i], options);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(2)
  public ResultSet decisionThroughput(ThreadIndex idx) {
    int i = (idx.next++) & (fixture.inputs.length - 1);
    return fixture.policy.eval(BenchFixture.QUERY, fixture.inputs[i], options);
  }

  /** Per-thread input cursor. */
  @State(Scope.Thread)
  public static class ThreadIndex {
    int next;
  }
}
