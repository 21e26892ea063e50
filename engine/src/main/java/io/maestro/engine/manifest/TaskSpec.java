package io.maestro.engine.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One task of a workflow.
 *
 * @param with the task's parameters; strings may hold {@code ${{ … }}} expressions. A private copy:
 *     {@link #with()} returns a fresh copy each time so the spec stays immutable.
 * @param condition the {@code if} expression (without {@code ${{ }}}), when present
 * @param outputs output name → expression over {@code result} (the executor's raw output); empty
 *     means the raw output is the task's output
 * @param onFailure the compensation tasks that run when this task fails or times out for good
 *     (after its retries); empty when its failure just fails the run. A task named in any task's
 *     {@code onFailure} is a compensation task: it runs only that way (ADR 0050).
 */
public record TaskSpec(
    String id,
    String uses,
    JsonNode with,
    List<String> needs,
    Optional<String> condition,
    RetryPolicy retry,
    Optional<Duration> timeout,
    Map<String, String> outputs,
    List<String> onFailure) {

  public TaskSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(uses, "uses");
    with = with.deepCopy();
    needs = List.copyOf(needs);
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(timeout, "timeout");
    outputs = Map.copyOf(outputs);
    onFailure = List.copyOf(onFailure);
  }

  @Override
  public JsonNode with() {
    return with.deepCopy();
  }
}
