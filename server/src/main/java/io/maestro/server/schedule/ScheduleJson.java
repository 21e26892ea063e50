package io.maestro.server.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.JsonText;
import io.maestro.engine.schedule.Schedule;
import io.maestro.engine.schedule.ScheduleSpec;
import io.maestro.engine.schedule.Schedules;
import io.maestro.server.http.HttpJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Schedules as the API writes and reads them. */
final class ScheduleJson {
  private static final Set<String> FIELDS =
      Set.of(
          "id",
          "workflow",
          "version",
          "cron",
          "timeZone",
          "overlap",
          "catchUpSeconds",
          "jitterSeconds",
          "inputs");

  private ScheduleJson() {}

  /** A {@code POST /api/schedules} body, checked ({@code schedule_invalid}, {@code cron_*}). */
  static ScheduleSpec spec(JsonNode body, Duration minInterval, Instant now) {
    if (!body.isObject()) {
      throw MaestroException.of(CoreErrors.VALIDATION_FAILED, "the body must be an object");
    }
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw MaestroException.of(CoreErrors.VALIDATION_FAILED, "unknown field " + f);
      }
    }
    return ScheduleSpec.of(
        HttpJson.optionalText(body, "id").orElse(null),
        HttpJson.optionalText(body, "workflow").orElse(null),
        HttpJson.optionalText(body, "version"),
        HttpJson.optionalText(body, "cron").orElse(null),
        HttpJson.optionalText(body, "timeZone").orElse(null),
        HttpJson.optionalText(body, "overlap").orElse(null),
        HttpJson.optionalInteger(body, "catchUpSeconds").orElse(0L),
        HttpJson.optionalInteger(body, "jitterSeconds").orElse(0L),
        body.get("inputs"),
        minInterval,
        now);
  }

  static ObjectNode schedule(Schedule s) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", s.id());
    o.put("workflow", s.workflow());
    s.version().ifPresent(v -> o.put("version", v));
    o.put("cron", s.cron());
    o.put("timeZone", s.zone().getId());
    o.put("overlap", s.overlap().wire());
    o.put("catchUpSeconds", s.catchUp().toSeconds());
    o.put("jitterSeconds", s.jitter().toSeconds());
    o.set("inputs", s.inputs());
    o.put("source", s.source());
    o.put("paused", s.paused());
    o.put("nextTick", s.nextTick().map(Instant::toString).orElse(null));
    o.put("createdBy", s.createdBy());
    o.put("createdAt", s.createdAt().toString());
    return o;
  }

  static ObjectNode firing(Schedules.Firing f) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("tick", f.tick().toString());
    o.put("handledAt", f.handledAt().toString());
    o.put("outcome", f.outcome().wire());
    f.runId().ifPresent(r -> o.put("runId", r));
    f.decisionId().ifPresent(d -> o.put("decisionId", d));
    Optional<JsonNode> detail = f.detail().map(JsonText::read);
    detail.ifPresent(d -> o.set("detail", d));
    return o;
  }
}
