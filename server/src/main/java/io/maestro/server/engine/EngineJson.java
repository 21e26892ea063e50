package io.maestro.server.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.engine.LogLine;
import io.maestro.engine.RunView;
import io.maestro.engine.StepView;
import io.maestro.engine.registry.WorkflowSummary;
import io.maestro.engine.registry.WorkflowVersion;
import java.time.Instant;
import java.util.Optional;

/** The JSON shapes of workflows, runs, steps and log lines (see {@code docs/api/openapi.yaml}). */
public final class EngineJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private EngineJson() {}

  public static ObjectNode version(WorkflowVersion v) {
    ObjectNode o = F.objectNode();
    o.put("name", v.name());
    o.put("version", v.version());
    o.put("status", v.status().name());
    o.put("digest", v.digest());
    o.put("createdBy", v.createdBy());
    o.put("createdAt", v.createdAt().toString());
    o.put("updatedAt", v.updatedAt().toString());
    v.publishedBy().ifPresent(p -> o.put("publishedBy", p));
    v.publishedAt().ifPresent(p -> o.put("publishedAt", p.toString()));
    v.origin()
        .ifPresent(
            p -> {
              ObjectNode pkg = o.putObject("package");
              pkg.put("digest", p.digest());
              if (p.signer().isPresent()) {
                pkg.put("signer", p.signer().get());
              } else {
                pkg.putNull("signer");
              }
            });
    return o;
  }

  static ObjectNode workflow(WorkflowSummary w) {
    ObjectNode o = F.objectNode();
    o.put("name", w.name());
    if (w.activeVersion().isPresent()) {
      o.put("activeVersion", w.activeVersion().get());
    } else {
      o.putNull("activeVersion");
    }
    ArrayNode vs = o.putArray("versions");
    w.versions().forEach(v -> vs.add(version(v)));
    return o;
  }

  public static ObjectNode run(RunView r, boolean withSteps) {
    ObjectNode o = F.objectNode();
    o.put("id", r.runId());
    o.put("tenant", r.tenant().value());
    o.put("workflow", r.workflow());
    o.put("version", r.version());
    o.put("digest", r.digest());
    o.put("status", r.status().name());
    o.set("inputs", r.inputs());
    r.error().ifPresent(e -> o.put("error", e));
    o.put("startedBy", r.startedBy());
    o.put("trigger", r.trigger());
    o.put("decisionId", r.decisionId());
    r.idempotencyKey().ifPresent(k -> o.put("idempotencyKey", k));
    r.parent()
        .ifPresent(p -> o.putObject("parent").put("runId", p.runId()).put("stepId", p.stepId()));
    o.put("createdAt", r.createdAt().toString());
    time(o, "startedAt", r.startedAt());
    time(o, "finishedAt", r.finishedAt());
    if (withSteps) {
      ArrayNode steps = o.putArray("steps");
      r.steps().forEach(s -> steps.add(step(s)));
    }
    return o;
  }

  static ObjectNode step(StepView s) {
    ObjectNode o = F.objectNode();
    o.put("id", s.stepId());
    o.put("uses", s.uses());
    o.put("status", s.status().name());
    o.put("attempt", s.attempt());
    o.put("deliveries", s.deliveries());
    o.put("duplicates", s.duplicates());
    if (!s.outputs().isNull()) {
      o.set("outputs", s.outputs());
    }
    if (!s.waitState().isNull()) {
      o.set("waiting", s.waitState());
    }
    s.error().ifPresent(e -> o.put("error", e));
    s.errorKind().ifPresent(k -> o.put("errorKind", k.word()));
    time(o, "readyAt", s.readyAt());
    time(o, "startedAt", s.startedAt());
    time(o, "finishedAt", s.finishedAt());
    return o;
  }

  public static ObjectNode log(LogLine l) {
    ObjectNode o = F.objectNode();
    o.put("seq", l.seq());
    o.put("at", l.at().toString());
    l.stepId().ifPresent(s -> o.put("step", s));
    o.put("stream", l.stream());
    o.put("message", l.message());
    return o;
  }

  private static void time(ObjectNode o, String name, Optional<Instant> t) {
    t.ifPresent(v -> o.put(name, v.toString()));
  }
}
