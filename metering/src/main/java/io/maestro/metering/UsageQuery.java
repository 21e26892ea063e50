package io.maestro.metering;

import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A usage summary request: one tenant, the window {@code [from, to)} resolved to whole UTC minutes
 * (rollups are kept per minute), optional grouping by workflow and environment, and optionally one
 * row per UTC day.
 */
public record UsageQuery(
    TenantId tenant, Instant from, Instant to, Set<Dimension> groupBy, Interval interval) {

  /** The longest window a query may span. */
  public static final Duration MAX_WINDOW = Duration.ofDays(400);

  public enum Dimension {
    WORKFLOW("workflow"),
    ENV("env");

    private final String wire;

    Dimension(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  public enum Interval {
    /** One row per group over the whole window. */
    TOTAL,
    /** One row per group and UTC day. */
    DAY
  }

  public UsageQuery {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(interval, "interval");
    groupBy = groupBy.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(groupBy));
    from = Objects.requireNonNull(from, "from").truncatedTo(ChronoUnit.MINUTES);
    to = Objects.requireNonNull(to, "to").truncatedTo(ChronoUnit.MINUTES);
    if (!from.isBefore(to)) {
      throw new MaestroException(
          MeteringErrors.BAD_RANGE, "'from' must be before 'to' (whole minutes, UTC)");
    }
    if (Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
      throw new MaestroException(
          MeteringErrors.RANGE_TOO_LONG, "the window may span at most 400 days");
    }
  }

  /**
   * Validates the query parameters of the usage API and the CLI.
   *
   * @param from an RFC 3339 instant, required
   * @param to an RFC 3339 instant, required
   * @param groupBy comma-separated dimensions ({@code workflow}, {@code env}), or null/empty
   * @param interval {@code day}, or null/empty for one row per group
   * @throws MaestroException with {@code usage_range_invalid}, {@code usage_range_too_long}, {@code
   *     usage_group_by_invalid} or {@code usage_interval_invalid}
   */
  public static UsageQuery parse(
      TenantId tenant, String from, String to, String groupBy, String interval) {
    Set<Dimension> dims = EnumSet.noneOf(Dimension.class);
    if (groupBy != null && !groupBy.isBlank()) {
      for (String part : groupBy.split(",", -1)) {
        String name = part.strip();
        dims.add(
            Arrays.stream(Dimension.values())
                .filter(d -> d.wire.equals(name))
                .findFirst()
                .orElseThrow(
                    () ->
                        new MaestroException(
                            MeteringErrors.BAD_GROUP_BY,
                            "cannot group usage by '" + name + "'; use workflow and/or env")));
      }
    }
    Interval iv;
    if (interval == null || interval.isBlank()) {
      iv = Interval.TOTAL;
    } else if (interval.equals("day")) {
      iv = Interval.DAY;
    } else {
      throw new MaestroException(
          MeteringErrors.BAD_INTERVAL, "unknown interval '" + interval + "'; use day");
    }
    return new UsageQuery(tenant, instant("from", from), instant("to", to), dims, iv);
  }

  /** Parses an RFC 3339 instant for a window bound, or a {@code usage_range_invalid} problem. */
  public static Instant instant(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new MaestroException(MeteringErrors.BAD_RANGE, "'" + name + "' is required");
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new MaestroException(
          MeteringErrors.BAD_RANGE,
          "'" + name + "' is not an RFC 3339 time such as 2026-12-01T00:00:00Z");
    }
  }

  public boolean groupsBy(Dimension d) {
    return groupBy.contains(d);
  }
}
