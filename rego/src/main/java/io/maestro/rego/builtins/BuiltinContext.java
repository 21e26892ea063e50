package io.maestro.rego.builtins;

import java.time.Instant;
import java.util.Map;
import java.util.random.RandomGenerator;

/** What a builtin may use from the evaluation that calls it. One context per evaluation. */
public interface BuiltinContext {
  /** The evaluation's clock reading, fixed for one evaluation (time.now_ns is stable). */
  Instant now();

  /** The evaluation's randomness (injected, so decisions can be replayed). */
  RandomGenerator random();

  /** A per-evaluation cache, e.g. for rand.intn or memoization. Not shared across threads. */
  Map<Object, Object> cache();

  /** The print()/trace sink. */
  void print(String line);
}
