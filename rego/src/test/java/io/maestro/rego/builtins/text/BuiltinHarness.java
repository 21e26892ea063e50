package io.maestro.rego.builtins.text;

import io.maestro.rego.builtins.Builtin;
import io.maestro.rego.builtins.BuiltinContext;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.value.Value;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Registers one builtin family and calls its builtins with plain Java arguments. */
public final class BuiltinHarness {
  private final Map<String, Builtin> builtins = new HashMap<>();
  private final Map<String, Integer> arities = new HashMap<>();
  private final Instant now;

  public BuiltinHarness(BuiltinFamily family) {
    this(family, Instant.parse("2024-01-02T03:04:05.123456789Z"));
  }

  public BuiltinHarness(BuiltinFamily family, Instant now) {
    this.now = now;
    family.register(
        (name, signature, fn) -> {
          builtins.put(name, fn);
          arities.put(name, io.maestro.rego.builtins.Signature.parse(signature).arity());
        });
  }

  /** Calls a builtin; Java arguments are converted with {@link Value#fromJava}. */
  public Value call(String name, Object... args) {
    Builtin fn = builtins.get(name);
    if (fn == null) {
      throw new IllegalArgumentException("not registered: " + name);
    }
    if (arities.get(name) != args.length) {
      throw new IllegalArgumentException(name + " takes " + arities.get(name) + " operands");
    }
    List<Value> values = Arrays.stream(args).map(Value::fromJava).toList();
    return fn.call(context(), values);
  }

  public boolean has(String name) {
    return builtins.containsKey(name);
  }

  private BuiltinContext context() {
    Map<Object, Object> cache = new HashMap<>();
    return new BuiltinContext() {
      @Override
      public Instant now() {
        return now;
      }

      @Override
      public RandomGenerator random() {
        return RandomGenerator.of("L64X128MixRandom");
      }

      @Override
      public Map<Object, Object> cache() {
        return cache;
      }

      @Override
      public void print(String line) {}
    };
  }
}
