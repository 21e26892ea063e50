package io.maestro.rego.eval;

import io.maestro.rego.EvalOptions;
import io.maestro.rego.builtins.StandardLibrary;
import io.maestro.rego.compiler.CompiledPolicy;
import io.maestro.rego.compiler.CompiledQuery;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.Value;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Runs compiled queries. */
public final class Engine {
  private Engine() {}

  public static List<Map<String, Value>> eval(
      CompiledPolicy policy,
      ObjectValue data,
      Map<String, StandardLibrary.Entry> builtins,
      String query,
      Value input,
      EvalOptions options) {
    CompiledQuery q = policy.query(query);
    Instant now = options.clock() == null ? Instant.EPOCH : options.clock().instant();
    long deadline = 0;
    if (options.timeout() != null && !options.timeout().isZero()) {
      deadline = System.nanoTime() + options.timeout().toNanos();
    }
    EvalContext ctx =
        new EvalContext(
            policy,
            data,
            builtins,
            options.strictBuiltinErrors(),
            now,
            options.random() != null ? options.random() : new SplittableRandom(now.toEpochMilli()),
            options.print(),
            options.tracer(),
            deadline,
            System::nanoTime);
    Evaluator ev = new Evaluator(ctx, input, List.of(), Map.of());
    Value[] f = new Value[Math.max(q.slots(), 1)];
    List<Map<String, Value>> rows = new ArrayList<>();
    ev.body(
        q.body(),
        f,
        () -> {
          Map<String, Value> row = new LinkedHashMap<>();
          q.vars()
              .forEach(
                  (name, slot) -> {
                    if (f[slot] != null) {
                      row.put(name, f[slot]);
                    }
                  });
          rows.add(row);
          return false;
        });
    return rows;
  }
}
