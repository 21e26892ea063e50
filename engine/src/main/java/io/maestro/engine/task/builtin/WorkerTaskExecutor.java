package io.maestro.engine.task.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.manifest.TaskCatalog;
import io.maestro.engine.queue.WorkerQueues;
import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code worker/<queue>}: the attempt is executed by an external worker that polls {@code <queue>}
 * ({@code POST /api/worker/poll}), not by the engine. Its queue row names the queue, so the
 * engine's own pools never claim it; this executor only checks {@code with} at publish time.
 * Parameters: {@code input} (any JSON, expressions allowed: what the worker receives) and {@code
 * output_schema} (a JSON Schema, draft 2020-12, the worker's outputs must match). See ADR 0024.
 */
public final class WorkerTaskExecutor implements TaskExecutor {
  public static final String TYPE = WorkerQueues.PREFIX + "*";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<TaskCatalog.Problem> check(JsonNode with) {
    List<TaskCatalog.Problem> p =
        new ArrayList<>(TaskExecutor.unknownKeys(with, Set.of("input", "output_schema")));
    JsonNode schema = with.path("output_schema");
    if (!schema.isMissingNode()) {
      if (!schema.isObject()) {
        p.add(
            new TaskCatalog.Problem("output_schema", "output_schema must be a JSON Schema object"));
      } else {
        try {
          SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema);
        } catch (RuntimeException e) {
          p.add(
              new TaskCatalog.Problem(
                  "output_schema", "output_schema is not a JSON Schema: " + e.getMessage()));
        }
      }
    }
    return p;
  }

  /**
   * Never reached through the engine's pools (they do not claim external rows); should an attempt
   * arrive here anyway, it fails as a platform error rather than pretending to run.
   */
  @Override
  public TaskOutcome execute(TaskContext ctx) {
    return new TaskOutcome.Failed(
        ErrorKind.PLATFORM, "worker tasks are executed by external workers, not the engine");
  }
}
