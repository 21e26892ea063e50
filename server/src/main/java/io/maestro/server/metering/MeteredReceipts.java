package io.maestro.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.Actor;
import io.maestro.engine.EngineReceipts;
import io.maestro.metering.ActorType;
import io.maestro.metering.EventType;
import io.maestro.metering.MeteredEvent;
import io.maestro.metering.Metering;
import io.maestro.metering.Metering.RunDimensions;
import io.maestro.metering.WorkflowRef;
import io.maestro.provenance.Receipts;
import io.maestro.server.engine.ProvenanceReceipts;
import io.maestro.store.Tx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's receipt sink with metering: queues the engine's receipts for the provenance log and,
 * in the same transaction, records the usage they stand for — every receipt ({@code
 * receipt_emitted}, and its stored bytes as {@code storage_bytes_written}, keyed by the receipt
 * id), a run's creation ({@code run_started}), an attempt that stopped running ({@code
 * step_executed}, its {@code durationMs}, keyed by the step attempt), and an approval or rejection
 * ({@code approval_decision}). Later events of a run take the workflow and environment its start
 * was metered with.
 */
public final class MeteredReceipts implements EngineReceipts {
  /** The environment of runs whose starter's token names none. */
  public static final String DEFAULT_ENV = "default";

  private final Receipts receipts;
  private final Metering metering;

  public MeteredReceipts(Receipts receipts, Metering metering) {
    this.receipts = receipts;
    this.metering = metering;
  }

  @Override
  public void emitAll(Tx tx, List<Receipt> rs) {
    List<Receipts.Queued> appended =
        receipts.enqueueAll(tx, rs.stream().map(ProvenanceReceipts::draft).toList());
    Map<String, Optional<RunDimensions>> runs = new HashMap<>();
    List<MeteredEvent> events = new ArrayList<>();
    for (int i = 0; i < rs.size(); i++) {
      EngineReceipts.Receipt r = rs.get(i);
      Receipts.Queued p = appended.get(i);
      String runId = runIdOf(r);
      RunDimensions dims;
      if (r.type() == Type.RUN_STARTED) {
        dims = startDimensions(r);
        runs.put(runId, Optional.of(dims));
      } else if (runId.isEmpty()) {
        dims = new RunDimensions(WorkflowRef.NONE, envOf(r.actor()));
      } else {
        dims =
            runs.computeIfAbsent(runId, id -> metering.runDimensions(tx, r.tenant(), id))
                .orElse(new RunDimensions(WorkflowRef.NONE, DEFAULT_ENV));
      }
      Usage u = new Usage(r, p, dims);
      events.add(u.event(EventType.RECEIPT_EMITTED, p.id(), 1));
      events.add(u.event(EventType.STORAGE_BYTES_WRITTEN, p.id(), p.storedBytes()));
      if (r.type() == Type.RUN_STARTED) {
        events.add(u.event(EventType.RUN_STARTED, p.id(), 1));
      } else if (r.type() == Type.APPROVAL_GRANTED || r.type() == Type.APPROVAL_REJECTED) {
        events.add(u.event(EventType.APPROVAL_DECISION, p.id(), 1));
      }
      JsonNode duration = r.payload().path("durationMs");
      if ("step".equals(r.subjectKind()) && duration.canConvertToLong()) {
        String attempt =
            r.subjectId() + "#" + r.payload().path("attempt").asInt() + ":" + r.action();
        events.add(u.event(EventType.STEP_EXECUTED, attempt, duration.asLong()));
      }
    }
    metering.recordAll(tx, events);
  }

  private record Usage(EngineReceipts.Receipt r, Receipts.Queued p, RunDimensions dims) {
    MeteredEvent event(EventType type, String key, long quantity) {
      return MeteredEvent.of(
          type,
          key,
          p.time(),
          r.tenant(),
          dims.env(),
          actorType(r.actor()),
          dims.workflow(),
          r.subjectKind() + "/" + r.subjectId(),
          quantity);
    }
  }

  private static RunDimensions startDimensions(EngineReceipts.Receipt r) {
    JsonNode payload = r.payload();
    String name = payload.path("workflow").asText();
    String version = payload.path("version").asText();
    WorkflowRef ref =
        payload.has("parentRun")
            ? WorkflowRef.childRun(name, version, r.subjectId())
            : WorkflowRef.run(name, version, r.subjectId());
    return new RunDimensions(ref, envOf(r.actor()));
  }

  /** The run a run or step receipt is about; empty for workflow receipts. */
  private static String runIdOf(EngineReceipts.Receipt r) {
    return switch (r.subjectKind()) {
      case "run" -> r.subjectId();
      case "step" -> r.subjectId().substring(0, Math.max(0, r.subjectId().indexOf('/')));
      default -> "";
    };
  }

  private static String envOf(Actor actor) {
    String env = actor.attributes().get("environment");
    return env == null || env.isBlank() ? DEFAULT_ENV : env;
  }

  static ActorType actorType(Actor actor) {
    if ("system".equals(actor.via())) {
      return ActorType.SYSTEM;
    }
    return actor.subject().startsWith("svc:") || actor.subject().startsWith("service:")
        ? ActorType.SERVICE
        : ActorType.USER;
  }
}
