package io.maestro.rego.builtins.time;

import io.maestro.rego.builtins.time.GoLayout.Chunk;
import io.maestro.rego.builtins.time.GoLayout.Std;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Go's time.Parse: walks the layout's chunks over the value with Go's rules (one- or two-digit
 * numbers where the layout allows, case-insensitive names, optional fractional seconds, numeric and
 * named zones) and reports failures with Go's ParseError wording. Times without a zone are UTC; a
 * zone abbreviation without a known offset is taken as UTC, as Go does on a UTC host.
 */
final class GoTimeParser {
  private static final String[] SHORT_MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };
  private static final String[] LONG_MONTHS = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December"
  };
  private static final String[] SHORT_DAYS = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  private static final String[] LONG_DAYS = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
  };

  /** A parse failure with Go's message. */
  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message) {
      super(message, null, false, false);
    }
  }

  /** The parsed instant: seconds since the epoch and nanoseconds. */
  record Instant(long epochSecond, int nano) {}

  private final String layout;
  private final String value;
  private String v;

  private GoTimeParser(String layout, String value) {
    this.layout = layout;
    this.value = value;
    this.v = value;
  }

  static Instant parse(String layout, String value) throws ParseException {
    return new GoTimeParser(layout, value).run();
  }

  private ParseException error(String layoutElem, String valueElem) {
    return new ParseException(
        "parsing time "
            + GoLayout.quote(value)
            + " as "
            + GoLayout.quote(layout)
            + ": cannot parse "
            + GoLayout.quote(valueElem)
            + " as "
            + GoLayout.quote(layoutElem));
  }

  private ParseException message(String msg) {
    return new ParseException("parsing time " + GoLayout.quote(value) + msg);
  }

  /** A bad element inside one chunk. */
  private static final class Bad extends Exception {
    private static final long serialVersionUID = 1L;

    Bad() {
      super(null, null, false, false);
    }
  }

  private Instant run() throws ParseException {
    List<Chunk> chunks = GoLayout.chunks(layout);
    int year = 0;
    int month = -1;
    int day = -1;
    int yday = -1;
    int hour = 0;
    int min = 0;
    int sec = 0;
    int nsec = 0;
    boolean pmSet = false;
    boolean amSet = false;
    boolean utc = false;
    int zoneOffset = Integer.MIN_VALUE;
    for (int ci = 0; ci < chunks.size(); ci++) {
      Chunk c = chunks.get(ci);
      if (c.std() == null) {
        if (!skip(c.literal())) {
          throw error(c.literal(), v);
        }
        continue;
      }
      String hold = v;
      String range = null;
      try {
        switch (c.std()) {
          case YEAR -> {
            if (v.length() < 2) {
              throw new Bad();
            }
            year = atoi(v.substring(0, 2));
            v = v.substring(2);
            year += year >= 69 ? 1900 : 2000;
          }
          case LONG_YEAR -> {
            if (v.length() < 4 || !Character.isDigit(v.charAt(0))) {
              throw new Bad();
            }
            year = atoi(v.substring(0, 4));
            v = v.substring(4);
          }
          case MONTH -> month = lookup(SHORT_MONTHS) + 1;
          case LONG_MONTH -> month = lookup(LONG_MONTHS) + 1;
          case NUM_MONTH, ZERO_MONTH -> {
            month = getnum(c.std() == Std.ZERO_MONTH);
            if (month <= 0 || month > 12) {
              range = "month";
            }
          }
          case WEEKDAY -> lookup(SHORT_DAYS);
          case LONG_WEEKDAY -> lookup(LONG_DAYS);
          case DAY, UNDER_DAY, ZERO_DAY -> {
            if (c.std() == Std.UNDER_DAY && v.startsWith(" ")) {
              v = v.substring(1);
            }
            day = getnum(c.std() == Std.ZERO_DAY);
          }
          case UNDER_YEAR_DAY, ZERO_YEAR_DAY -> {
            for (int k = 0; k < 2; k++) {
              if (c.std() == Std.UNDER_YEAR_DAY && v.startsWith(" ")) {
                v = v.substring(1);
              }
            }
            yday = getnum3(c.std() == Std.ZERO_YEAR_DAY);
          }
          case HOUR -> {
            hour = getnum(false);
            if (hour < 0 || hour >= 24) {
              range = "hour";
            }
          }
          case HOUR12, ZERO_HOUR12 -> {
            hour = getnum(c.std() == Std.ZERO_HOUR12);
            if (hour < 0 || hour > 12) {
              range = "hour";
            }
          }
          case MINUTE, ZERO_MINUTE -> {
            min = getnum(c.std() == Std.ZERO_MINUTE);
            if (min < 0 || min >= 60) {
              range = "minute";
            }
          }
          case SECOND, ZERO_SECOND -> {
            sec = getnum(c.std() == Std.ZERO_SECOND);
            if (sec < 0 || sec >= 60) {
              range = "second";
              break;
            }
            // A fractional second in the value that the layout does not mention is accepted.
            if (v.length() >= 2 && isSep(v.charAt(0)) && Character.isDigit(v.charAt(1))) {
              Std nextStd = nextStd(chunks, ci + 1);
              if (nextStd == Std.FRAC_SECOND0 || nextStd == Std.FRAC_SECOND9) {
                break;
              }
              int n = 2;
              while (n < v.length() && isDigitAt(n)) {
                n++;
              }
              nsec = nanos(n);
              v = v.substring(n);
            }
          }
          case PM, LOWER_PM -> {
            if (v.length() < 2) {
              throw new Bad();
            }
            String p = v.substring(0, 2);
            v = v.substring(2);
            boolean upper = c.std() == Std.PM;
            if (p.equals(upper ? "PM" : "pm")) {
              pmSet = true;
            } else if (p.equals(upper ? "AM" : "am")) {
              amSet = true;
            } else {
              throw new Bad();
            }
          }
          case TZ -> {
            if (v.startsWith("UTC")) {
              utc = true;
              v = v.substring(3);
              break;
            }
            int n = zoneNameLength(v);
            if (n <= 0) {
              throw new Bad();
            }
            // A named zone's offset is unknown to Go unless it is the host's; taken as UTC.
            v = v.substring(n);
          }
          case FRAC_SECOND0 -> {
            int ndigit = 1 + c.digits();
            if (v.length() < ndigit) {
              throw new Bad();
            }
            nsec = nanos(ndigit);
            v = v.substring(ndigit);
          }
          case FRAC_SECOND9 -> {
            if (v.length() < 2 || !isSep(v.charAt(0)) || !Character.isDigit(v.charAt(1))) {
              break;
            }
            int i = 0;
            while (i + 1 < v.length() && isDigitAt(i + 1)) {
              i++;
            }
            nsec = nanos(1 + i);
            v = v.substring(1 + i);
          }
          default -> {
            if (c.std().isIso() && v.startsWith("Z")) {
              v = v.substring(1);
              utc = true;
              break;
            }
            zoneOffset = numericZone(c.std());
          }
        }
      } catch (Bad e) {
        throw error(c.stdText(), hold);
      } catch (RangeError e) {
        range = e.what;
      }
      if (range != null) {
        throw new ParseException(
            "parsing time " + GoLayout.quote(value) + ": " + range + " out of range");
      }
    }
    if (!v.isEmpty()) {
      throw message(": extra text: " + GoLayout.quote(v));
    }
    if (pmSet && hour < 12) {
      hour += 12;
    } else if (amSet && hour == 12) {
      hour = 0;
    }
    if (yday >= 0) {
      int m = 0;
      int d = 0;
      boolean leap = java.time.Year.isLeap(year);
      if (leap) {
        if (yday == 31 + 29) {
          m = 2;
          d = 29;
        } else if (yday > 31 + 29) {
          yday--;
        }
      }
      if (yday < 1 || yday > 365) {
        throw message(": day-of-year out of range");
      }
      if (m == 0) {
        int[] before = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};
        m = (yday - 1) / 31 + 1;
        if (before[m] < yday) {
          m++;
        }
        d = yday - before[m - 1];
      }
      if (month >= 0 && month != m) {
        throw message(": day-of-year does not match month");
      }
      month = m;
      if (day >= 0 && day != d) {
        throw message(": day-of-year does not match day");
      }
      day = d;
    } else {
      if (month < 0) {
        month = 1;
      }
      if (day < 0) {
        day = 1;
      }
    }
    if (day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      throw message(": day out of range");
    }
    long epoch = LocalDateTime.of(year, month, day, hour, min, sec).toEpochSecond(ZoneOffset.UTC);
    if (!utc && zoneOffset != Integer.MIN_VALUE) {
      epoch -= zoneOffset;
    }
    return new Instant(epoch, nsec);
  }

  /** A value out of range inside a chunk (reported after the chunk, as Go does). */
  private static final class RangeError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String what;

    RangeError(String what) {
      super(what, null, false, false);
      this.what = what;
    }
  }

  private static Std nextStd(List<Chunk> chunks, int from) {
    for (int i = from; i < chunks.size(); i++) {
      if (chunks.get(i).std() != null) {
        return chunks.get(i).std();
      }
    }
    return null;
  }

  private static boolean isSep(char c) {
    return c == '.' || c == ',';
  }

  private boolean isDigitAt(int i) {
    return i < v.length() && v.charAt(i) >= '0' && v.charAt(i) <= '9';
  }

  /** Go's skip: a space in the layout matches any run of spaces; otherwise bytes must match. */
  private boolean skip(String prefix) {
    int p = 0;
    while (p < prefix.length()) {
      if (prefix.charAt(p) == ' ') {
        if (!v.isEmpty() && v.charAt(0) != ' ') {
          return false;
        }
        while (p < prefix.length() && prefix.charAt(p) == ' ') {
          p++;
        }
        int k = 0;
        while (k < v.length() && v.charAt(k) == ' ') {
          k++;
        }
        v = v.substring(k);
        continue;
      }
      if (v.isEmpty() || v.charAt(0) != prefix.charAt(p)) {
        return false;
      }
      p++;
      v = v.substring(1);
    }
    return true;
  }

  private static int atoi(String s) throws Bad {
    try {
      if (!s.matches("[+-]?[0-9]+")) {
        throw new Bad();
      }
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new Bad();
    }
  }

  private int getnum(boolean fixed) throws Bad {
    if (!isDigitAt(0)) {
      throw new Bad();
    }
    if (!isDigitAt(1)) {
      if (fixed) {
        throw new Bad();
      }
      int n = v.charAt(0) - '0';
      v = v.substring(1);
      return n;
    }
    int n = (v.charAt(0) - '0') * 10 + (v.charAt(1) - '0');
    v = v.substring(2);
    return n;
  }

  private int getnum3(boolean fixed) throws Bad {
    int n = 0;
    int i = 0;
    while (i < 3 && isDigitAt(i)) {
      n = n * 10 + (v.charAt(i) - '0');
      i++;
    }
    if (i == 0 || (fixed && i != 3)) {
      throw new Bad();
    }
    v = v.substring(i);
    return n;
  }

  private int lookup(String[] names) throws Bad {
    for (int i = 0; i < names.length; i++) {
      String n = names[i];
      if (v.length() >= n.length() && v.substring(0, n.length()).equalsIgnoreCase(n)) {
        v = v.substring(n.length());
        return i;
      }
    }
    throw new Bad();
  }

  /** Nanoseconds from v[0..n): a separator and up to nine significant digits. */
  private int nanos(int n) throws Bad {
    if (!isSep(v.charAt(0))) {
      throw new Bad();
    }
    if (n > 10) {
      n = 10;
    }
    int ns = 0;
    int digits = 0;
    for (int i = 1; i < n; i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        throw new Bad();
      }
      ns = ns * 10 + (c - '0');
      digits++;
    }
    for (; digits < 9; digits++) {
      ns *= 10;
    }
    return ns;
  }

  /** Parses a numeric zone; returns the offset in seconds east of UTC. */
  private int numericZone(Std std) throws Bad {
    String sign;
    String hh;
    String mm = "00";
    String ss = "00";
    switch (std) {
      case ISO8601_COLON_TZ, NUM_COLON_TZ -> {
        if (v.length() < 6 || v.charAt(3) != ':') {
          throw new Bad();
        }
        sign = v.substring(0, 1);
        hh = v.substring(1, 3);
        mm = v.substring(4, 6);
        v = v.substring(6);
      }
      case NUM_SHORT_TZ, ISO8601_SHORT_TZ -> {
        if (v.length() < 3) {
          throw new Bad();
        }
        sign = v.substring(0, 1);
        hh = v.substring(1, 3);
        v = v.substring(3);
      }
      case ISO8601_COLON_SECONDS_TZ, NUM_COLON_SECONDS_TZ -> {
        if (v.length() < 9 || v.charAt(3) != ':' || v.charAt(6) != ':') {
          throw new Bad();
        }
        sign = v.substring(0, 1);
        hh = v.substring(1, 3);
        mm = v.substring(4, 6);
        ss = v.substring(7, 9);
        v = v.substring(9);
      }
      case ISO8601_SECONDS_TZ, NUM_SECONDS_TZ -> {
        if (v.length() < 7) {
          throw new Bad();
        }
        sign = v.substring(0, 1);
        hh = v.substring(1, 3);
        mm = v.substring(3, 5);
        ss = v.substring(5, 7);
        v = v.substring(7);
      }
      default -> {
        if (v.length() < 5) {
          throw new Bad();
        }
        sign = v.substring(0, 1);
        hh = v.substring(1, 3);
        mm = v.substring(3, 5);
        v = v.substring(5);
      }
    }
    int h = twoDigits(hh);
    int m = twoDigits(mm);
    int s = twoDigits(ss);
    if (h > 24) {
      throw new RangeError("time zone offset hour");
    }
    if (m > 60) {
      throw new RangeError("time zone offset minute");
    }
    if (s > 60) {
      throw new RangeError("time zone offset second");
    }
    int off = (h * 60 + m) * 60 + s;
    return switch (sign) {
      case "+" -> off;
      case "-" -> -off;
      default -> throw new Bad();
    };
  }

  private static int twoDigits(String s) throws Bad {
    if (s.length() != 2 || !Character.isDigit(s.charAt(0)) || !Character.isDigit(s.charAt(1))) {
      throw new Bad();
    }
    return (s.charAt(0) - '0') * 10 + (s.charAt(1) - '0');
  }

  /** Go's parseTimeZone: the length of a zone abbreviation at the start of s, or 0. */
  private static int zoneNameLength(String s) {
    if (s.length() < 3) {
      return 0;
    }
    if (s.startsWith("ChST") || s.startsWith("MeST")) {
      return 4;
    }
    if (s.startsWith("GMT")) {
      return 3 + signedOffsetLength(s.substring(3));
    }
    if (s.charAt(0) == '+' || s.charAt(0) == '-') {
      return signedOffsetLength(s);
    }
    int upper = 0;
    while (upper < 6 && upper < s.length() && s.charAt(upper) >= 'A' && s.charAt(upper) <= 'Z') {
      upper++;
    }
    return switch (upper) {
      case 3 -> 3;
      case 4 -> s.charAt(3) == 'T' || s.startsWith("WITA") ? 4 : 0;
      case 5 -> s.charAt(4) == 'T' ? 5 : 0;
      default -> 0;
    };
  }

  private static int signedOffsetLength(String s) {
    if (s.isEmpty() || (s.charAt(0) != '+' && s.charAt(0) != '-')) {
      return 0;
    }
    int i = 1;
    long x = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      x = x * 10 + (s.charAt(i) - '0');
      if (x > 1_000_000) {
        return 0;
      }
      i++;
    }
    if (i == 1 || x > 23) {
      return 0;
    }
    return i;
  }
}
