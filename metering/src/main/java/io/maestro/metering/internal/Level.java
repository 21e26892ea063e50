package io.maestro.metering.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The rollup granularities, each with its own table. */
public enum Level {
  MINUTE("metering_usage_minute", ChronoUnit.MINUTES),
  HOUR("metering_usage_hour", ChronoUnit.HOURS),
  DAY("metering_usage_day", ChronoUnit.DAYS);

  private final String table;
  private final ChronoUnit unit;

  Level(String table, ChronoUnit unit) {
    this.table = table;
    this.unit = unit;
  }

  String table() {
    return table;
  }

  /** The start of the bucket {@code t} falls in (UTC). */
  public Instant floor(Instant t) {
    return t.truncatedTo(unit);
  }

  /** The first bucket start at or after {@code t}. */
  public Instant ceil(Instant t) {
    Instant f = floor(t);
    return f.equals(t) ? t : f.plus(1, unit);
  }
}
