package io.maestro.metering.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Covers a window of whole minutes with as few rollup rows as possible: whole days from the day
 * table, whole hours at the edges from the hour table, and the remaining minutes from the minute
 * table. A 30-day window reads at most 30 day buckets, 46 hour buckets and 118 minute buckets per
 * group, whatever the number of events. An hour or minute segment never crosses midnight (UTC), so
 * a summary by day can label each with its one day instead of truncating every row's bucket.
 */
public final class Windows {
  private Windows() {}

  /** A range {@code [from, to)} of one level's buckets. */
  public record Segment(Level level, Instant from, Instant to) {}

  /** The segments covering {@code [from, to)}; both bounds are whole minutes. */
  public static List<Segment> split(Instant from, Instant to) {
    List<Segment> out = new ArrayList<>();
    Instant dayFrom = Level.DAY.ceil(from);
    Instant dayTo = Level.DAY.floor(to);
    if (dayFrom.isBefore(dayTo)) {
      splitHours(from, dayFrom, out);
      out.add(new Segment(Level.DAY, dayFrom, dayTo));
      splitHours(dayTo, to, out);
    } else if (dayFrom.equals(dayTo) && from.isBefore(dayFrom) && dayTo.isBefore(to)) {
      // Shorter than a day but across one midnight: the edges on either side of it.
      splitHours(from, dayFrom, out);
      splitHours(dayTo, to, out);
    } else {
      splitHours(from, to, out);
    }
    return out;
  }

  /** The UTC day a segment's buckets all fall in; empty for a segment of whole days. */
  public static java.util.Optional<Instant> dayOf(Segment s) {
    return s.level() == Level.DAY
        ? java.util.Optional.empty()
        : java.util.Optional.of(Level.DAY.floor(s.from()));
  }

  private static void splitHours(Instant from, Instant to, List<Segment> out) {
    if (!from.isBefore(to)) {
      return;
    }
    Instant hourFrom = Level.HOUR.ceil(from);
    Instant hourTo = Level.HOUR.floor(to);
    if (hourFrom.isBefore(hourTo)) {
      addMinutes(from, hourFrom, out);
      out.add(new Segment(Level.HOUR, hourFrom, hourTo));
      addMinutes(hourTo, to, out);
    } else {
      addMinutes(from, to, out);
    }
  }

  private static void addMinutes(Instant from, Instant to, List<Segment> out) {
    if (from.isBefore(to)) {
      out.add(new Segment(Level.MINUTE, from, to));
    }
  }
}
