package io.maestro.engine.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.engine.manifest.TaskCatalog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The executors an engine knows, by {@code uses} name. Immutable. */
public final class TaskTypes implements TaskCatalog {
  private final Map<String, TaskExecutor> byType;

  public TaskTypes(List<TaskExecutor> executors) {
    Map<String, TaskExecutor> m = new LinkedHashMap<>();
    for (TaskExecutor e : executors) {
      if (m.put(e.type(), e) != null) {
        throw new IllegalArgumentException("two executors for " + e.type());
      }
    }
    this.byType = Map.copyOf(m);
  }

  public Optional<TaskExecutor> get(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  @Override
  public Set<String> types() {
    return new java.util.TreeSet<>(byType.keySet());
  }

  @Override
  public List<Problem> check(String uses, JsonNode with) {
    TaskExecutor e = byType.get(uses);
    return e == null ? List.of() : e.check(with);
  }
}
