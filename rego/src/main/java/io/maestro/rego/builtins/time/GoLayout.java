package io.maestro.rego.builtins.time;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Go's time layouts ("2006-01-02T15:04:05Z07:00"): splitting a layout into literal text and
 * standard elements exactly as Go's nextStdChunk does, and formatting a zoned time with them.
 * {@link GoTimeParser} parses with the same elements.
 */
final class GoLayout {
  private GoLayout() {}

  /** Go's standard layout elements. */
  enum Std {
    LONG_MONTH("January"),
    MONTH("Jan"),
    NUM_MONTH("1"),
    ZERO_MONTH("01"),
    LONG_WEEKDAY("Monday"),
    WEEKDAY("Mon"),
    DAY("2"),
    UNDER_DAY("_2"),
    ZERO_DAY("02"),
    UNDER_YEAR_DAY("__2"),
    ZERO_YEAR_DAY("002"),
    HOUR("15"),
    HOUR12("3"),
    ZERO_HOUR12("03"),
    MINUTE("4"),
    ZERO_MINUTE("04"),
    SECOND("5"),
    ZERO_SECOND("05"),
    LONG_YEAR("2006"),
    YEAR("06"),
    PM("PM"),
    LOWER_PM("pm"),
    TZ("MST"),
    ISO8601_TZ("Z0700"),
    ISO8601_SECONDS_TZ("Z070000"),
    ISO8601_SHORT_TZ("Z07"),
    ISO8601_COLON_TZ("Z07:00"),
    ISO8601_COLON_SECONDS_TZ("Z07:00:00"),
    NUM_TZ("-0700"),
    NUM_SECONDS_TZ("-070000"),
    NUM_SHORT_TZ("-07"),
    NUM_COLON_TZ("-07:00"),
    NUM_COLON_SECONDS_TZ("-07:00:00"),
    FRAC_SECOND0(".0"),
    FRAC_SECOND9(".9");

    final String text;

    Std(String text) {
      this.text = text;
    }

    boolean isIso() {
      return name().startsWith("ISO8601");
    }
  }

  /** One piece of a layout: literal text, or a std element (with its fraction digits). */
  record Chunk(String literal, Std std, int digits, char separator, String stdText) {
    static Chunk text(String s) {
      return new Chunk(s, null, 0, '\0', "");
    }
  }

  /** The named layouts OPA accepts in place of a layout string. */
  static String named(String layout) {
    return switch (layout) {
      case "ANSIC" -> "Mon Jan _2 15:04:05 2006";
      case "UnixDate" -> "Mon Jan _2 15:04:05 MST 2006";
      case "RubyDate" -> "Mon Jan 02 15:04:05 -0700 2006";
      case "RFC822" -> "02 Jan 06 15:04 MST";
      case "RFC822Z" -> "02 Jan 06 15:04 -0700";
      case "RFC850" -> "Monday, 02-Jan-06 15:04:05 MST";
      case "RFC1123" -> "Mon, 02 Jan 2006 15:04:05 MST";
      case "RFC1123Z" -> "Mon, 02 Jan 2006 15:04:05 -0700";
      case "RFC3339" -> "2006-01-02T15:04:05Z07:00";
      case "RFC3339Nano" -> "2006-01-02T15:04:05.999999999Z07:00";
      default -> layout;
    };
  }

  /** Splits a layout into chunks; literal chunks and std chunks alternate as Go finds them. */
  static List<Chunk> chunks(String layout) {
    List<Chunk> out = new ArrayList<>();
    String rest = layout;
    while (!rest.isEmpty()) {
      int[] found = next(rest);
      if (found == null) {
        out.add(Chunk.text(rest));
        break;
      }
      int start = found[0];
      int end = found[1];
      Std std = Std.values()[found[2]];
      if (start > 0) {
        out.add(Chunk.text(rest.substring(0, start)));
      }
      String stdText = rest.substring(start, end);
      if (std == Std.FRAC_SECOND0 || std == Std.FRAC_SECOND9) {
        out.add(new Chunk(null, std, end - start - 1, rest.charAt(start), stdText));
      } else {
        out.add(new Chunk(null, std, 0, '\0', stdText));
      }
      rest = rest.substring(end);
    }
    return out;
  }

  private static int[] hit(int i, int len, Std std) {
    return new int[] {i, i + len, std.ordinal()};
  }

  /** Go's nextStdChunk: [start, end, std] of the first std element, or null. */
  private static int[] next(String l) {
    int n = l.length();
    for (int i = 0; i < n; i++) {
      char c = l.charAt(i);
      switch (c) {
        case 'J' -> {
          if (l.startsWith("Jan", i)) {
            if (l.startsWith("January", i)) {
              return hit(i, 7, Std.LONG_MONTH);
            }
            if (!startsWithLower(l, i + 3)) {
              return hit(i, 3, Std.MONTH);
            }
          }
        }
        case 'M' -> {
          if (l.startsWith("Mon", i)) {
            if (l.startsWith("Monday", i)) {
              return hit(i, 6, Std.LONG_WEEKDAY);
            }
            if (!startsWithLower(l, i + 3)) {
              return hit(i, 3, Std.WEEKDAY);
            }
          }
          if (l.startsWith("MST", i)) {
            return hit(i, 3, Std.TZ);
          }
        }
        case '0' -> {
          if (i + 1 < n && l.charAt(i + 1) >= '1' && l.charAt(i + 1) <= '6') {
            Std[] zeros = {
              Std.ZERO_MONTH,
              Std.ZERO_DAY,
              Std.ZERO_HOUR12,
              Std.ZERO_MINUTE,
              Std.ZERO_SECOND,
              Std.YEAR
            };
            return hit(i, 2, zeros[l.charAt(i + 1) - '1']);
          }
          if (i + 2 < n && l.charAt(i + 1) == '0' && l.charAt(i + 2) == '2') {
            return hit(i, 3, Std.ZERO_YEAR_DAY);
          }
        }
        case '1' -> {
          if (i + 1 < n && l.charAt(i + 1) == '5') {
            return hit(i, 2, Std.HOUR);
          }
          return hit(i, 1, Std.NUM_MONTH);
        }
        case '2' -> {
          if (l.startsWith("2006", i)) {
            return hit(i, 4, Std.LONG_YEAR);
          }
          return hit(i, 1, Std.DAY);
        }
        case '_' -> {
          if (i + 1 < n && l.charAt(i + 1) == '2') {
            // "_2006" is a literal underscore followed by the long year
            if (l.startsWith("2006", i + 1)) {
              return hit(i + 1, 4, Std.LONG_YEAR);
            }
            return hit(i, 2, Std.UNDER_DAY);
          }
          if (i + 2 < n && l.charAt(i + 1) == '_' && l.charAt(i + 2) == '2') {
            return hit(i, 3, Std.UNDER_YEAR_DAY);
          }
        }
        case '3' -> {
          return hit(i, 1, Std.HOUR12);
        }
        case '4' -> {
          return hit(i, 1, Std.MINUTE);
        }
        case '5' -> {
          return hit(i, 1, Std.SECOND);
        }
        case 'P' -> {
          if (i + 1 < n && l.charAt(i + 1) == 'M') {
            return hit(i, 2, Std.PM);
          }
        }
        case 'p' -> {
          if (i + 1 < n && l.charAt(i + 1) == 'm') {
            return hit(i, 2, Std.LOWER_PM);
          }
        }
        case '-' -> {
          if (l.startsWith("-07:00:00", i)) {
            return hit(i, 9, Std.NUM_COLON_SECONDS_TZ);
          }
          if (l.startsWith("-070000", i)) {
            return hit(i, 7, Std.NUM_SECONDS_TZ);
          }
          if (l.startsWith("-07:00", i)) {
            return hit(i, 6, Std.NUM_COLON_TZ);
          }
          if (l.startsWith("-0700", i)) {
            return hit(i, 5, Std.NUM_TZ);
          }
          if (l.startsWith("-07", i)) {
            return hit(i, 3, Std.NUM_SHORT_TZ);
          }
        }
        case 'Z' -> {
          if (l.startsWith("Z07:00:00", i)) {
            return hit(i, 9, Std.ISO8601_COLON_SECONDS_TZ);
          }
          if (l.startsWith("Z070000", i)) {
            return hit(i, 7, Std.ISO8601_SECONDS_TZ);
          }
          if (l.startsWith("Z07:00", i)) {
            return hit(i, 6, Std.ISO8601_COLON_TZ);
          }
          if (l.startsWith("Z0700", i)) {
            return hit(i, 5, Std.ISO8601_TZ);
          }
          if (l.startsWith("Z07", i)) {
            return hit(i, 3, Std.ISO8601_SHORT_TZ);
          }
        }
        case '.', ',' -> {
          if (i + 1 < n && (l.charAt(i + 1) == '0' || l.charAt(i + 1) == '9')) {
            char ch = l.charAt(i + 1);
            int j = i + 1;
            while (j < n && l.charAt(j) == ch) {
              j++;
            }
            // Only a fractional second when the run of digits ends here.
            if (!(j < n && Character.isDigit(l.charAt(j)))) {
              return hit(i, j - i, ch == '0' ? Std.FRAC_SECOND0 : Std.FRAC_SECOND9);
            }
          }
        }
        default -> {}
      }
    }
    return null;
  }

  private static boolean startsWithLower(String s, int i) {
    return i < s.length() && s.charAt(i) >= 'a' && s.charAt(i) <= 'z';
  }

  // ---- formatting ----

  /** Go's Time.Format. {@code zoneName} is the zone abbreviation (empty when unknown). */
  static String format(ZonedDateTime t, String zoneName, String layout) {
    StringBuilder b = new StringBuilder();
    int offset = t.getOffset().getTotalSeconds();
    for (Chunk c : chunks(layout)) {
      if (c.std() == null) {
        b.append(c.literal());
        continue;
      }
      int hour = t.getHour();
      switch (c.std()) {
        case YEAR -> pad(b, Math.floorMod(t.getYear(), 100), 2);
        case LONG_YEAR -> pad(b, t.getYear(), 4);
        case MONTH -> b.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
        case LONG_MONTH -> b.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
        case NUM_MONTH -> b.append(t.getMonthValue());
        case ZERO_MONTH -> pad(b, t.getMonthValue(), 2);
        case WEEKDAY -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US));
        case LONG_WEEKDAY -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US));
        case DAY -> b.append(t.getDayOfMonth());
        case UNDER_DAY -> {
          if (t.getDayOfMonth() < 10) {
            b.append(' ');
          }
          b.append(t.getDayOfMonth());
        }
        case ZERO_DAY -> pad(b, t.getDayOfMonth(), 2);
        case UNDER_YEAR_DAY -> {
          int yd = t.getDayOfYear();
          b.append(yd < 10 ? "  " : yd < 100 ? " " : "").append(yd);
        }
        case ZERO_YEAR_DAY -> pad(b, t.getDayOfYear(), 3);
        case HOUR -> pad(b, hour, 2);
        case HOUR12 -> b.append(hour % 12 == 0 ? 12 : hour % 12);
        case ZERO_HOUR12 -> pad(b, hour % 12 == 0 ? 12 : hour % 12, 2);
        case MINUTE -> b.append(t.getMinute());
        case ZERO_MINUTE -> pad(b, t.getMinute(), 2);
        case SECOND -> b.append(t.getSecond());
        case ZERO_SECOND -> pad(b, t.getSecond(), 2);
        case PM -> b.append(hour >= 12 ? "PM" : "AM");
        case LOWER_PM -> b.append(hour >= 12 ? "pm" : "am");
        case TZ -> {
          if (!zoneName.isEmpty()) {
            b.append(zoneName);
          } else {
            int zone = offset / 60;
            b.append(zone < 0 ? '-' : '+');
            zone = Math.abs(zone);
            pad(b, zone / 60, 2);
            pad(b, zone % 60, 2);
          }
        }
        case FRAC_SECOND0, FRAC_SECOND9 -> fraction(b, t.getNano(), c);
        default -> numericZone(b, offset, c.std());
      }
    }
    return b.toString();
  }

  private static void fraction(StringBuilder b, int nanos, Chunk c) {
    String digits = String.format("%09d", nanos);
    if (c.std() == Std.FRAC_SECOND0) {
      b.append(c.separator()).append(digits, 0, Math.min(9, c.digits()));
      for (int i = 9; i < c.digits(); i++) {
        b.append('0');
      }
      return;
    }
    String d = digits.substring(0, Math.min(9, c.digits()));
    int end = d.length();
    while (end > 0 && d.charAt(end - 1) == '0') {
      end--;
    }
    if (end > 0) {
      b.append(c.separator()).append(d, 0, end);
    }
  }

  private static void numericZone(StringBuilder b, int offset, Std std) {
    if (offset == 0 && std.isIso()) {
      b.append('Z');
      return;
    }
    int zone = offset / 60;
    int abs = offset;
    if (zone < 0) {
      b.append('-');
      zone = -zone;
      abs = -abs;
    } else {
      b.append('+');
    }
    pad(b, zone / 60, 2);
    boolean colon =
        std == Std.ISO8601_COLON_TZ
            || std == Std.NUM_COLON_TZ
            || std == Std.ISO8601_COLON_SECONDS_TZ
            || std == Std.NUM_COLON_SECONDS_TZ;
    if (colon) {
      b.append(':');
    }
    if (std != Std.NUM_SHORT_TZ && std != Std.ISO8601_SHORT_TZ) {
      pad(b, zone % 60, 2);
    }
    if (std == Std.ISO8601_SECONDS_TZ
        || std == Std.NUM_SECONDS_TZ
        || std == Std.NUM_COLON_SECONDS_TZ
        || std == Std.ISO8601_COLON_SECONDS_TZ) {
      if (std == Std.NUM_COLON_SECONDS_TZ || std == Std.ISO8601_COLON_SECONDS_TZ) {
        b.append(':');
      }
      pad(b, abs % 60, 2);
    }
  }

  /** Go's appendInt with a minimum width: the sign goes before the zero padding. */
  static void pad(StringBuilder b, int v, int width) {
    if (v < 0) {
      b.append('-');
      v = -v;
    }
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      b.append('0');
    }
    b.append(s);
  }

  /** Go's time quoting in error messages: non-ASCII and control bytes as \xNN. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (c >= 0x80 || c < ' ') {
        b.append("\\x")
            .append(Character.forDigit(c >> 4, 16))
            .append(Character.forDigit(c & 15, 16));
      } else {
        if (c == '"' || c == '\\') {
          b.append('\\');
        }
        b.append((char) c);
      }
    }
    return b.append('"').toString();
  }
}
