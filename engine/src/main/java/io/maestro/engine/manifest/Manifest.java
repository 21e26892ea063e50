package io.maestro.engine.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A validated workflow manifest (v1). Obtain one from {@link ManifestLoader}; the constructor does
 * not validate cross-references, the loader does.
 *
 * @param inputs the JSON Schema of the run inputs (an object schema; empty object if none)
 * @param canonical the normalized manifest as JSON, the form that is stored and digested
 */
public record Manifest(
    String name,
    String version,
    Optional<String> region,
    Map<String, String> labels,
    Risk risk,
    Optional<String> resourceClass,
    JsonNode inputs,
    List<TaskSpec> tasks,
    JsonNode canonical) {

  public Manifest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(region, "region");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(risk, "risk");
    Objects.requireNonNull(resourceClass, "resourceClass");
    inputs = inputs.deepCopy();
    tasks = List.copyOf(tasks);
    canonical = canonical.deepCopy();
  }

  @Override
  public JsonNode inputs() {
    return inputs.deepCopy();
  }

  @Override
  public JsonNode canonical() {
    return canonical.deepCopy();
  }

  /**
   * The ids of the compensation tasks: those named in some task's {@code onFailure}. They run only
   * when a task that names them fails for good, never in the run's normal course (ADR 0050).
   */
  public Set<String> compensationTasks() {
    Set<String> out = new LinkedHashSet<>();
    tasks.forEach(t -> out.addAll(t.onFailure()));
    return Set.copyOf(out);
  }

  public Optional<TaskSpec> task(String id) {
    return tasks.stream().filter(t -> t.id().equals(id)).findFirst();
  }
}
