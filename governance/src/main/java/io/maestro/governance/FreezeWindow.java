package io.maestro.governance;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A freeze window of a tenant: once ({@code startsAt}..{@code endsAt}) or weekly ({@code
 * weeklyFrom}..{@code weeklyTo}, e.g. {@code FRI 16:00}..{@code MON 08:00}, in {@code zone}, so a
 * window follows the zone's daylight-saving changes). While one is active, privileged actions are
 * refused by the policy with {@code freeze_active} unless a break-glass grant covers them.
 */
public record FreezeWindow(
    String id,
    String tenant,
    Kind kind,
    Optional<Instant> startsAt,
    Optional<Instant> endsAt,
    String weeklyFrom,
    String weeklyTo,
    ZoneId zone,
    String reason,
    String createdBy,
    Instant createdAt) {

  public enum Kind {
    ONCE,
    WEEKLY;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A span of time, start inclusive, end exclusive. */
  public record Span(Instant start, Instant end) {
    boolean overlaps(Span o) {
      return start.isBefore(o.end) && o.start.isBefore(end);
    }
  }

  /** The span of this window containing {@code t}, if the window is active then. */
  public Optional<Span> activeAt(Instant t) {
    return spans(t.minusSeconds(8 * 86_400L), t.plusSeconds(8 * 86_400L)).stream()
        .filter(s -> !t.isBefore(s.start()) && t.isBefore(s.end()))
        .findFirst();
  }

  /** The spans of this window that touch [{@code from}, {@code to}). */
  public List<Span> spans(Instant from, Instant to) {
    List<Span> out = new ArrayList<>();
    if (kind == Kind.ONCE) {
      Span s = new Span(startsAt.orElseThrow(), endsAt.orElseThrow());
      if (s.overlaps(new Span(from, to))) {
        out.add(s);
      }
      return out;
    }
    WeeklyTime a = WeeklyTime.parse(weeklyFrom);
    WeeklyTime b = WeeklyTime.parse(weeklyTo);
    ZonedDateTime week =
        from.atZone(zone)
            .minusDays(7)
            .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
            .toLocalDate()
            .atStartOfDay(zone);
    while (week.toInstant().isBefore(to)) {
      ZonedDateTime start = a.in(week);
      ZonedDateTime end = b.in(week);
      if (!end.isAfter(start)) {
        end = b.in(week.plusWeeks(1));
      }
      Span s = new Span(start.toInstant(), end.toInstant());
      if (s.overlaps(new Span(from, to))) {
        out.add(s);
      }
      week = week.plusWeeks(1);
    }
    return out;
  }

  /** A day of the week and a time of day, written {@code FRI 16:00}. */
  public record WeeklyTime(DayOfWeek day, LocalTime time) {
    public static WeeklyTime parse(String s) {
      String[] parts = s.trim().split("\\s+");
      if (parts.length != 2) {
        throw new IllegalArgumentException("a weekly time is a day and a time, e.g. FRI 16:00");
      }
      DayOfWeek day = null;
      String d = parts[0].toUpperCase(Locale.ROOT);
      for (DayOfWeek w : DayOfWeek.values()) {
        if (d.length() >= 3 && w.name().startsWith(d)) {
          day = w;
        }
      }
      if (day == null) {
        throw new IllegalArgumentException("unknown day '" + parts[0] + "': use MON..SUN");
      }
      try {
        return new WeeklyTime(day, LocalTime.parse(parts[1]));
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("unknown time '" + parts[1] + "': use HH:MM");
      }
    }

    ZonedDateTime in(ZonedDateTime mondayStart) {
      return mondayStart
          .toLocalDate()
          .plusDays(day.getValue() - 1L)
          .atTime(time)
          .atZone(mondayStart.getZone());
    }

    @Override
    public String toString() {
      return day.name().substring(0, 3) + " " + time;
    }
  }
}
