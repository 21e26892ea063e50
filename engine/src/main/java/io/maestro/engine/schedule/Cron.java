package io.maestro.engine.schedule;

import io.maestro.core.problem.MaestroException;
import io.maestro.engine.EngineErrors;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A five-field cron expression ({@code minute hour day-of-month month day-of-week}) with the usual
 * forms: {@code *}, lists ({@code 1,15}), ranges ({@code 1-5}), steps ({@code *}{@code /15}, {@code
 * 8-18/2}), month and weekday names ({@code JAN}, {@code MON}; weekday 7 is Sunday) and the macros
 * {@code @hourly}, {@code @daily}, {@code @weekly}, {@code @monthly}, {@code @yearly}. As in Vixie
 * cron, when both day fields are restricted a day matches either; when one is {@code *}, the other
 * decides.
 *
 * <p>Ticks are computed on the wall clock of a time zone. A local time that does not exist (the
 * hour skipped when clocks go forward) fires at the first instant after the gap; a local time that
 * occurs twice (clocks going back) fires once, at its first occurrence. Immutable and thread-safe.
 */
public final class Cron {
  /** How far ahead {@link #next} looks before it concludes the expression never fires again. */
  static final int HORIZON_YEARS = 5;

  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");
  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private Cron(String expression, String[] f) {
    this.expression = expression;
    this.minutes = field(f[0], "minute", 0, 59, List.of());
    this.hours = field(f[1], "hour", 0, 23, List.of());
    this.daysOfMonth = field(f[2], "day of month", 1, 31, List.of());
    this.months = field(f[3], "month", 1, 12, MONTHS);
    BitSet dow = field(f[4], "day of week", 0, 7, DAYS);
    if (dow.get(7)) {
      dow.set(0);
      dow.clear(7);
    }
    this.daysOfWeek = dow;
    this.anyDayOfMonth = f[2].equals("*") || f[2].equals("?");
    this.anyDayOfWeek = f[4].equals("*") || f[4].equals("?");
  }

  /**
   * Parses {@code expression}.
   *
   * @throws MaestroException {@code cron_invalid} naming the field that is wrong
   */
  public static Cron parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw invalid("a cron expression is required");
    }
    String text = expression.trim();
    String expanded = MACROS.getOrDefault(text.toLowerCase(Locale.ROOT), text);
    if (expanded.startsWith("@")) {
      throw invalid("unknown cron macro " + text);
    }
    String[] f = expanded.split("\\s+");
    if (f.length != 5) {
      throw invalid(
          "a cron expression has 5 fields (minute hour day-of-month month day-of-week), not "
              + f.length
              + (f.length == 6 ? "; seconds are not supported" : ""));
    }
    return new Cron(text, f);
  }

  public String expression() {
    return expression;
  }

  /** The first tick strictly after {@code after} in {@code zone}; empty when none comes. */
  public Optional<Instant> next(Instant after, ZoneId zone) {
    LocalDateTime t =
        LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    int lastYear = t.getYear() + HORIZON_YEARS;
    while (t.getYear() <= lastYear) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).toLocalDate().atStartOfDay().plusMonths(1);
        continue;
      }
      if (!dayMatches(t)) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
        continue;
      }
      if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
        continue;
      }
      if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
        continue;
      }
      Instant at = ZonedDateTime.ofLocal(t, zone, null).toInstant();
      if (at.isAfter(after)) {
        return Optional.of(at);
      }
      t = t.plusMinutes(1);
    }
    return Optional.empty();
  }

  /**
   * The shortest time between two consecutive ticks among the first {@code samples} ticks after
   * {@code from} (every pattern repeats within its first firing days, so a few thousand ticks show
   * its densest spacing); empty when it fires fewer than twice.
   */
  public Optional<Duration> shortestInterval(Instant from, ZoneId zone, int samples) {
    Optional<Instant> prev = next(from, zone);
    Duration best = null;
    for (int i = 0; i < samples && prev.isPresent(); i++) {
      Optional<Instant> n = next(prev.get(), zone);
      if (n.isEmpty()) {
        break;
      }
      Duration d = Duration.between(prev.get(), n.get());
      if (best == null || d.compareTo(best) < 0) {
        best = d;
      }
      if (best.toMinutes() <= 1) {
        break; // cannot get any shorter
      }
      prev = n;
    }
    return Optional.ofNullable(best);
  }

  private boolean dayMatches(LocalDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
    if (anyDayOfMonth || anyDayOfWeek) {
      return dom && dow;
    }
    return dom || dow;
  }

  private static BitSet field(String text, String name, int min, int max, List<String> names) {
    BitSet bits = new BitSet(max + 1);
    for (String part : text.split(",", -1)) {
      if (part.isEmpty()) {
        throw invalid("the " + name + " field has an empty list item");
      }
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(part.substring(slash + 1), name, names);
        if (step < 1) {
          throw invalid("the " + name + " field has a step below 1: " + part);
        }
      }
      int lo;
      int hi;
      if (range.equals("*") || range.equals("?")) {
        lo = min;
        hi = max == 7 ? 6 : max;
      } else if (range.contains("-")) {
        String[] ends = range.split("-", -1);
        if (ends.length != 2) {
          throw invalid("the " + name + " field has a bad range: " + part);
        }
        lo = number(ends[0], name, names);
        hi = number(ends[1], name, names);
      } else {
        lo = number(range, name, names);
        hi = slash >= 0 ? max : lo;
      }
      if (lo < min || hi > max || lo > hi) {
        throw invalid(
            "the " + name + " field allows " + min + "-" + max + ", not " + part.toUpperCase());
      }
      for (int v = lo; v <= hi; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String s, String name, List<String> names) {
    int i = names.indexOf(s.toUpperCase(Locale.ROOT));
    if (i >= 0) {
      return names == MONTHS ? i + 1 : i;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw invalid("the " + name + " field has '" + s + "', which is not a number");
    }
  }

  private static MaestroException invalid(String message) {
    return MaestroException.of(EngineErrors.CRON_INVALID, message);
  }

  @Override
  public String toString() {
    return expression;
  }
}
