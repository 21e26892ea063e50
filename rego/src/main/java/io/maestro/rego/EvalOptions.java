package io.maestro.rego;

import io.maestro.rego.eval.Tracer;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Options for one evaluation. {@code clock} feeds time.now_ns (read once per evaluation); {@code
 * random} feeds rand.intn; {@code print} receives print() output; {@code tracer} receives
 * explanation events; {@code timeout} cancels evaluation with eval_cancel_error (zero: none).
 */
public record EvalOptions(
    boolean strictBuiltinErrors,
    Clock clock,
    RandomGenerator random,
    Consumer<String> print,
    Tracer tracer,
    Duration timeout) {

  public static EvalOptions defaults() {
    return new EvalOptions(false, Clock.systemUTC(), null, null, null, Duration.ZERO);
  }

  public EvalOptions withStrict(boolean strict) {
    return new EvalOptions(strict, clock, random, print, tracer, timeout);
  }

  public EvalOptions withClock(Clock c) {
    return new EvalOptions(strictBuiltinErrors, c, random, print, tracer, timeout);
  }

  public EvalOptions withRandom(RandomGenerator r) {
    return new EvalOptions(strictBuiltinErrors, clock, r, print, tracer, timeout);
  }

  public EvalOptions withPrint(Consumer<String> p) {
    return new EvalOptions(strictBuiltinErrors, clock, random, p, tracer, timeout);
  }

  public EvalOptions withTracer(Tracer t) {
    return new EvalOptions(strictBuiltinErrors, clock, random, print, t, timeout);
  }

  public EvalOptions withTimeout(Duration d) {
    return new EvalOptions(strictBuiltinErrors, clock, random, print, tracer, d);
  }
}
