package io.maestro.rego.builtins.net;

import io.maestro.rego.builtins.Builtin;
import io.maestro.rego.builtins.BuiltinContext;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.value.Value;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Calls the builtins of one family directly, as the evaluator would, for family unit tests. */
public final class BuiltinHarness {
  private final Map<String, Builtin> builtins = new HashMap<>();
  private final Map<String, Integer> arities = new HashMap<>();
  private final Instant now;
  private final List<String> printed = new ArrayList<>();

  public BuiltinHarness(BuiltinFamily family) {
    this(family, Instant.parse("2025-01-01T00:00:00Z"));
  }

  public BuiltinHarness(BuiltinFamily family, Instant now) {
    this.now = now;
    family.register(
        (name, signature, fn) -> {
          builtins.put(name, fn);
          arities.put(name, io.maestro.rego.builtins.Signature.parse(signature).arity());
        });
  }

  /** Calls a builtin with Java arguments converted by {@link Value#fromJava}. */
  public Value call(String name, Object... args) {
    Builtin fn = builtins.get(name);
    if (fn == null) {
      throw new IllegalArgumentException("not registered: " + name);
    }
    List<Value> values = new ArrayList<>();
    for (Object a : args) {
      values.add(Value.fromJava(a));
    }
    if (values.size() != arities.get(name)) {
      throw new IllegalArgumentException(name + " takes " + arities.get(name) + " operands");
    }
    Map<Object, Object> cache = new HashMap<>();
    RandomGenerator random = new SplittableRandom(1);
    return fn.call(
        new BuiltinContext() {
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
            printed.add(line);
          }
        },
        values);
  }

  /** Parses a JSON literal into a value (for expected results). */
  public static Value json(String json) {
    try {
      return Value.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
