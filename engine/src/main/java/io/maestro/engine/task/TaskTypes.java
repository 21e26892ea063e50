package io.maestro.engine.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.engine.manifest.TaskCatalog;
import io.maestro.engine.queue.WorkerQueues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The executors an engine knows, by {@code uses} name, and the types it knows but cannot run here.
 * Immutable.
 */
public final class TaskTypes implements TaskCatalog {
  private final Map<String, TaskExecutor> byType;
  private final TaskAvailability availability;

  public TaskTypes(List<TaskExecutor> executors) {
    this(executors, TaskAvailability.all());
  }

  /**
   * @param availability types without an executor here and why; a type cannot be both
   */
  public TaskTypes(List<TaskExecutor> executors, TaskAvailability availability) {
    Map<String, TaskExecutor> m = new LinkedHashMap<>();
    for (TaskExecutor e : executors) {
      if (m.put(e.type(), e) != null) {
        throw new IllegalArgumentException("two executors for " + e.type());
      }
    }
    for (String type : availability.unavailable().keySet()) {
      if (m.containsKey(type)) {
        throw new IllegalArgumentException(type + " has an executor and is unavailable");
      }
    }
    this.byType = Map.copyOf(m);
    this.availability = availability;
  }

  public TaskAvailability availability() {
    return availability;
  }

  @Override
  public Optional<String> unavailable(String uses) {
    return availability.reason(uses);
  }

  /**
   * The executor of {@code type}; a {@code worker/<queue>} type is served by the executor
   * registered as {@code worker/*}, when there is one.
   */
  public Optional<TaskExecutor> get(String type) {
    TaskExecutor e = byType.get(type);
    if (e == null && WorkerQueues.of(type).isPresent()) {
      e = byType.get(WorkerQueues.PREFIX + "*");
    }
    return Optional.ofNullable(e);
  }

  @Override
  public boolean knows(String uses) {
    return get(uses).isPresent();
  }

  @Override
  public Set<String> types() {
    return new java.util.TreeSet<>(byType.keySet());
  }

  @Override
  public List<Problem> check(String uses, JsonNode with) {
    return get(uses).map(e -> e.check(with)).orElse(List.of());
  }
}
