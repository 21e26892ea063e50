package io.maestro.rego.builtins.time;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * time.* with nanosecond precision: time.now_ns from the evaluation's clock (stable within one
 * evaluation), Go layouts for time.format / time.parse_ns, RFC 3339 and Go duration parsing,
 * calendar arithmetic (time.add_date, time.diff) and calendar fields in IANA zones. Results must
 * fit a signed 64-bit nanosecond count (years 1677 to 2262), as in OPA.
 */
public final class TimeBuiltins implements BuiltinFamily {
  private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);
  private static final BigInteger MIN_NS = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX_NS = BigInteger.valueOf(Long.MAX_VALUE);
  private static final ConcurrentHashMap<String, ZoneId> ZONES = new ConcurrentHashMap<>();

  @Override
  public void register(BuiltinRegistry r) {
    r.register(
        "time.now_ns",
        "() => number | nondeterministic",
        (ctx, a) -> NumberValue.of(nanos(ctx.now())));
    r.register("time.parse_rfc3339_ns", "(string) => number", (ctx, a) -> parseRfc3339(a));
    r.register("time.parse_ns", "(string, string) => number", (ctx, a) -> parseNs(a));
    r.register("time.parse_duration_ns", "(string) => number", (ctx, a) -> parseDuration(a));
    r.register(
        "time.format",
        "(any<number, array<number, string>, array<number, string, string>>) => string",
        (ctx, a) -> format(a));
    r.register(
        "time.date",
        "(any<number, array<number, string>>) => array<number, number, number>",
        (ctx, a) -> {
          ZonedDateTime t = zoned("time.date", a.get(0)).time();
          return ints(t.getYear(), t.getMonthValue(), t.getDayOfMonth());
        });
    r.register(
        "time.clock",
        "(any<number, array<number, string>>) => array<number, number, number>",
        (ctx, a) -> {
          ZonedDateTime t = zoned("time.clock", a.get(0)).time();
          return ints(t.getHour(), t.getMinute(), t.getSecond());
        });
    r.register(
        "time.weekday",
        "(any<number, array<number, string>>) => string",
        (ctx, a) ->
            StringValue.of(
                zoned("time.weekday", a.get(0))
                    .time()
                    .getDayOfWeek()
                    .getDisplayName(TextStyle.FULL, Locale.US)));
    r.register(
        "time.add_date", "(number, number, number, number) => number", (ctx, a) -> addDate(a));
    r.register(
        "time.diff",
        "(any<number, array<number, string>>, any<number, array<number, string>>) => array<number, number, number, number, number, number>",
        (ctx, a) -> diff(a));
  }

  static long nanos(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
  }

  private static Value ints(long... values) {
    Value[] out = new Value[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = NumberValue.of(values[i]);
    }
    return ArrayValue.of(List.of(out));
  }

  /** A time in a zone, with the optional layout from a [ns, tz, layout] operand. */
  private record Zoned(ZonedDateTime time, String layout, ZoneId zone) {}

  private static Zoned zoned(String builtin, Value operand) {
    Value ns = operand;
    ZoneId zone = ZoneOffset.UTC;
    String layout = "";
    if (operand instanceof ArrayValue arr) {
      if (arr.size() == 0) {
        throw BuiltinException.typeError(
            builtin, 1, "either number (ns) or [number (ns), string (tz)]", operand);
      }
      ns = arr.get(0);
      if (!(ns instanceof NumberValue)) {
        throw BuiltinException.typeError(builtin, 1, "number", ns);
      }
      if (arr.size() > 1) {
        if (!(arr.get(1) instanceof StringValue tz)) {
          throw BuiltinException.typeError(builtin, 1, "string", arr.get(1));
        }
        zone = zone(builtin, tz.value());
      }
      if (arr.size() > 2) {
        if (!(arr.get(2) instanceof StringValue l)) {
          throw BuiltinException.typeError(builtin, 1, "string", arr.get(2));
        }
        layout = l.value();
      }
    } else if (!(operand instanceof NumberValue)) {
      throw BuiltinException.typeError(
          builtin, 1, "either number (ns) or [number (ns), string (tz)]", operand);
    }
    BigDecimal d = ((NumberValue) ns).decimal();
    long n;
    try {
      n = d.longValueExact();
    } catch (ArithmeticException e) {
      throw BuiltinException.error(builtin, "timestamp too big");
    }
    Instant i =
        Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    return new Zoned(ZonedDateTime.ofInstant(i, zone), layout, zone);
  }

  private static ZoneId zone(String builtin, String name) {
    if (name.isEmpty() || name.equals("UTC")) {
      return ZoneOffset.UTC;
    }
    if (name.equals("Local")) {
      return ZoneId.systemDefault();
    }
    ZoneId z = ZONES.get(name);
    if (z == null) {
      try {
        z = ZoneId.of(name);
      } catch (DateTimeException e) {
        throw BuiltinException.error(builtin, "unknown time zone " + name);
      }
      ZONES.put(name, z);
    }
    return z;
  }

  private static Value safeNanos(String builtin, long epochSecond, int nano) {
    BigInteger ns = BigInteger.valueOf(epochSecond).multiply(NANOS).add(BigInteger.valueOf(nano));
    if (ns.compareTo(MIN_NS) < 0 || ns.compareTo(MAX_NS) > 0) {
      throw BuiltinException.error(builtin, "time outside of valid range");
    }
    return NumberValue.of(ns.longValue());
  }

  private static Value parseRfc3339(List<Value> a) {
    String b = "time.parse_rfc3339_ns";
    return parseWith(b, GoLayout.named("RFC3339"), Args.string(b, a, 0));
  }

  private static Value parseNs(List<Value> a) {
    String b = "time.parse_ns";
    String layout = GoLayout.named(Args.string(b, a, 0));
    return parseWith(b, layout, Args.string(b, a, 1));
  }

  private static Value parseWith(String builtin, String layout, String value) {
    GoTimeParser.Instant t;
    try {
      t = GoTimeParser.parse(layout, value);
    } catch (GoTimeParser.ParseException e) {
      throw BuiltinException.error(builtin, e.getMessage());
    }
    return safeNanos(builtin, t.epochSecond(), t.nano());
  }

  private static Value parseDuration(List<Value> a) {
    String b = "time.parse_duration_ns";
    try {
      return NumberValue.of(GoDuration.parse(Args.string(b, a, 0)));
    } catch (IllegalArgumentException e) {
      throw BuiltinException.error(b, e.getMessage());
    }
  }

  private static Value format(List<Value> a) {
    Zoned z = zoned("time.format", a.get(0));
    String layout =
        z.layout().isEmpty() ? GoLayout.named("RFC3339Nano") : GoLayout.named(z.layout());
    return StringValue.of(GoLayout.format(z.time(), abbreviation(z.time(), z.zone()), layout));
  }

  /** The zone abbreviation Go prints for MST: "UTC", "PST", "IST", or "+03" for unnamed zones. */
  static String abbreviation(ZonedDateTime t, ZoneId zone) {
    if (zone.equals(ZoneOffset.UTC)) {
      return "UTC";
    }
    String s = DateTimeFormatter.ofPattern("zzz", Locale.US).format(t);
    if (s.startsWith("GMT") || s.startsWith("UTC")) {
      if (s.length() == 3) {
        return s;
      }
      int offset = t.getOffset().getTotalSeconds();
      StringBuilder b = new StringBuilder(offset < 0 ? "-" : "+");
      int abs = Math.abs(offset) / 60;
      GoLayout.pad(b, abs / 60, 2);
      if (abs % 60 != 0) {
        GoLayout.pad(b, abs % 60, 2);
      }
      return b.toString();
    }
    return s;
  }

  private static Value addDate(List<Value> a) {
    String b = "time.add_date";
    ZonedDateTime t = zoned(b, a.get(0)).time();
    long years = Args.integer(b, a, 1).longValue();
    long months = Args.integer(b, a, 2).longValue();
    long days = Args.integer(b, a, 3).longValue();
    // Go normalises year, month and day together (Jan 31 + 1 month = Mar 3), not clamping.
    long totalMonths = t.getMonthValue() - 1 + months;
    long year = t.getYear() + years + Math.floorDiv(totalMonths, 12);
    int month = Math.floorMod(totalMonths, 12) + 1;
    if (Math.abs(year) > 100_000_000L) {
      throw BuiltinException.error(b, "time outside of valid range");
    }
    ZonedDateTime first =
        ZonedDateTime.of(
            (int) year,
            month,
            1,
            t.getHour(),
            t.getMinute(),
            t.getSecond(),
            t.getNano(),
            t.getZone());
    ZonedDateTime result = first.plusDays(t.getDayOfMonth() - 1 + days);
    return safeNanos(b, result.toEpochSecond(), result.getNano());
  }

  private static Value diff(List<Value> a) {
    Zoned z1 = zoned("time.diff", a.get(0));
    Zoned z2 = zoned("time.diff", a.get(1));
    ZonedDateTime t1 = z1.time();
    ZonedDateTime t2 = z2.time().withZoneSameInstant(z1.zone());
    if (t1.isAfter(t2)) {
      ZonedDateTime tmp = t1;
      t1 = t2;
      t2 = tmp;
    }
    int year = t2.getYear() - t1.getYear();
    int month = t2.getMonthValue() - t1.getMonthValue();
    int day = t2.getDayOfMonth() - t1.getDayOfMonth();
    int hour = t2.getHour() - t1.getHour();
    int min = t2.getMinute() - t1.getMinute();
    int sec = t2.getSecond() - t1.getSecond();
    if (sec < 0) {
      sec += 60;
      min--;
    }
    if (min < 0) {
      min += 60;
      hour--;
    }
    if (hour < 0) {
      hour += 24;
      day--;
    }
    if (day < 0) {
      // days in t1's month: Go's Date(y, m, 32) overflow trick
      day += java.time.YearMonth.of(t1.getYear(), t1.getMonthValue()).lengthOfMonth();
      month--;
    }
    if (month < 0) {
      month += 12;
      year--;
    }
    return ints(year, month, day, hour, min, sec);
  }
}
