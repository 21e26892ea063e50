package io.maestro.rego.eval;

import io.maestro.rego.builtins.BuiltinContext;
import io.maestro.rego.builtins.StandardLibrary;
import io.maestro.rego.compiler.CompiledPolicy;
import io.maestro.rego.value.ObjectValue;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/** State shared by one evaluation: policy, base data, builtins, clock, sinks, limits. */
final class EvalContext implements BuiltinContext {
  final CompiledPolicy policy;
  final ObjectValue data;
  final Map<String, StandardLibrary.Entry> builtins;
  final boolean strict;
  final Instant now;
  final RandomGenerator random;
  final Consumer<String> printSink;
  final Tracer tracer;
  final long deadlineNanos;
  final java.util.function.LongSupplier nanoClock;
  private final Map<Object, Object> cache = new HashMap<>();
  int steps;

  EvalContext(
      CompiledPolicy policy,
      ObjectValue data,
      Map<String, StandardLibrary.Entry> builtins,
      boolean strict,
      Instant now,
      RandomGenerator random,
      Consumer<String> printSink,
      Tracer tracer,
      long deadlineNanos,
      java.util.function.LongSupplier nanoClock) {
    this.policy = policy;
    this.data = data;
    this.builtins = builtins;
    this.strict = strict;
    this.now = now;
    this.random = random;
    this.printSink = printSink;
    this.tracer = tracer;
    this.deadlineNanos = deadlineNanos;
    this.nanoClock = nanoClock;
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public RandomGenerator random() {
    return random;
  }

  @Override
  public Map<Object, Object> cache() {
    return cache;
  }

  @Override
  public void print(String line) {
    if (printSink != null) {
      printSink.accept(line);
    }
  }
}
