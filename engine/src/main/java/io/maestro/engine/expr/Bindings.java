package io.maestro.engine.expr;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The variables an expression sees: {@code inputs} (the run's inputs), {@code tasks} (task id →
 * {@code {outputs, status}} of finished upstream tasks), {@code run} ({@code id}, {@code workflow},
 * {@code version}, {@code tenant}) and, in {@code outputs} expressions, {@code result} (the
 * executor's raw output). Values are plain Java: Map, List, String, Long, Double, Boolean, null.
 */
public record Bindings(
    Map<String, Object> inputs, Map<String, Object> tasks, Map<String, Object> run, Object result) {

  public Bindings {
    inputs = Map.copyOf(Objects.requireNonNull(inputs));
    tasks = Map.copyOf(Objects.requireNonNull(tasks));
    run = Map.copyOf(Objects.requireNonNull(run));
  }

  public static Bindings of(Map<String, Object> inputs) {
    return new Bindings(inputs, Map.of(), Map.of(), null);
  }

  public Bindings withResult(Object value) {
    return new Bindings(inputs, tasks, run, value);
  }

  Map<String, Object> activation() {
    Map<String, Object> m = new HashMap<>();
    m.put("inputs", CelValues.toCel(inputs));
    m.put("tasks", CelValues.toCel(tasks));
    m.put("run", CelValues.toCel(run));
    m.put("result", CelValues.toCel(result));
    return m;
  }
}
