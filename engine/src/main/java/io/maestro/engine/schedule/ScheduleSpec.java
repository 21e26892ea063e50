package io.maestro.engine.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.EngineErrors;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A schedule as declared (API body or manifest entry), checked: the id's form, the cron expression
 * (it must fire, and not more often than the minimum interval), the IANA time zone, the overlap
 * policy, and catch-up and jitter within bounds.
 */
public record ScheduleSpec(
    String id,
    String workflow,
    Optional<String> version,
    Cron cron,
    ZoneId zone,
    Overlap overlap,
    Duration catchUp,
    Duration jitter,
    JsonNode inputs) {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

  /** How many ticks are sampled to find the densest spacing of an expression. */
  private static final int SAMPLES = 2_000;

  static final Duration MAX_CATCH_UP = Duration.ofDays(7);

  public ScheduleSpec {
    inputs = inputs == null ? JsonNodeFactory.instance.objectNode() : inputs.deepCopy();
  }

  /**
   * Checks a declared schedule.
   *
   * @param minInterval the shortest time allowed between two ticks ({@code
   *     schedules.minIntervalSeconds})
   * @param now where the search for ticks starts
   */
  public static ScheduleSpec of(
      String id,
      String workflow,
      Optional<String> version,
      String cron,
      String zone,
      String overlap,
      long catchUpSeconds,
      long jitterSeconds,
      JsonNode inputs,
      Duration minInterval,
      Instant now) {
    if (id == null || !ID.matcher(id).matches()) {
      throw invalid(
          "a schedule id has 1-100 characters: lowercase letters, digits, '.', '_' or '-'");
    }
    if (workflow == null || workflow.isBlank()) {
      throw invalid("workflow is required");
    }
    ZoneId z;
    try {
      z = ZoneId.of(zone == null || zone.isBlank() ? "UTC" : zone);
    } catch (DateTimeException e) {
      throw invalid("timeZone '" + zone + "' is not an IANA time zone");
    }
    Overlap o = Overlap.parse(overlap == null ? "skip" : overlap);
    if (catchUpSeconds < 0 || catchUpSeconds > MAX_CATCH_UP.toSeconds()) {
      throw invalid("catchUpSeconds is 0-" + MAX_CATCH_UP.toSeconds());
    }
    Cron c = Cron.parse(cron);
    if (c.next(now, z).isEmpty()) {
      throw MaestroException.of(
          EngineErrors.CRON_NEVER_FIRES,
          "'" + cron + "' never fires in the next " + Cron.HORIZON_YEARS + " years");
    }
    Optional<Duration> shortest = c.shortestInterval(now, z, SAMPLES);
    if (shortest.isPresent() && shortest.get().compareTo(minInterval) < 0) {
      throw MaestroException.of(
          EngineErrors.CRON_TOO_FREQUENT,
          "'"
              + cron
              + "' fires every "
              + shortest.get().toSeconds()
              + " s; the minimum interval is "
              + minInterval.toSeconds()
              + " s (schedules.minIntervalSeconds)");
    }
    if (jitterSeconds < 0
        || (shortest.isPresent() && jitterSeconds >= shortest.get().toSeconds())) {
      throw invalid("jitterSeconds must be at least 0 and shorter than the time between two ticks");
    }
    if (inputs != null && !inputs.isNull() && !inputs.isObject()) {
      throw invalid("inputs must be an object");
    }
    return new ScheduleSpec(
        id,
        workflow,
        version,
        c,
        z,
        o,
        Duration.ofSeconds(catchUpSeconds),
        Duration.ofSeconds(jitterSeconds),
        inputs == null || inputs.isNull() ? null : inputs);
  }

  @Override
  public JsonNode inputs() {
    return inputs.deepCopy();
  }

  private static MaestroException invalid(String message) {
    return MaestroException.of(EngineErrors.SCHEDULE_INVALID, message);
  }
}
