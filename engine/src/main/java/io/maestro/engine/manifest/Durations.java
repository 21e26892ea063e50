package io.maestro.engine.manifest;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as written in manifests: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h},
 * {@code 1d} or ISO-8601 {@code PT30S}.
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @throws IllegalArgumentException when {@code text} is not a duration
   */
  public static Duration parse(String text) {
    String t = text.trim();
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      Duration d = Duration.parse(t);
      if (d.isNegative()) {
        throw new IllegalArgumentException("a duration must not be negative: " + text);
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (use e.g. 500ms, 30s, 5m, 2h, 1d or PT30S)");
    }
  }
}
