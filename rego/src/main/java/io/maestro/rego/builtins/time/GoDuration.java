package io.maestro.rego.builtins.time;

import java.math.BigInteger;
import java.util.Map;

/** Go's time.ParseDuration: "[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+", e.g. "1h30m", "-1.5µs". */
final class GoDuration {
  private static final BigInteger LIMIT = BigInteger.ONE.shiftLeft(63);
  private static final Map<String, Long> UNITS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L,
          "\u03bcs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private GoDuration() {}

  /** Nanoseconds; throws IllegalArgumentException with Go's message. */
  static long parse(String orig) {
    String s = orig;
    boolean neg = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      neg = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw invalid(orig);
    }
    BigInteger d = BigInteger.ZERO;
    while (!s.isEmpty()) {
      char c = s.charAt(0);
      if (!(c == '.' || (c >= '0' && c <= '9'))) {
        throw invalid(orig);
      }
      int i = 0;
      BigInteger v = BigInteger.ZERO;
      while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
        v = v.multiply(BigInteger.TEN).add(BigInteger.valueOf(s.charAt(i) - '0'));
        if (v.compareTo(LIMIT) >= 0) {
          throw invalid(orig);
        }
        i++;
      }
      boolean pre = i > 0;
      s = s.substring(i);
      boolean post = false;
      long f = 0;
      double scale = 1;
      if (!s.isEmpty() && s.charAt(0) == '.') {
        s = s.substring(1);
        int j = 0;
        boolean overflow = false;
        while (j < s.length() && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
          if (!overflow) {
            if (f > (Long.MAX_VALUE - 9) / 10) {
              overflow = true;
            } else {
              f = f * 10 + (s.charAt(j) - '0');
              scale *= 10;
            }
          }
          j++;
        }
        post = j > 0;
        s = s.substring(j);
      }
      if (!pre && !post) {
        throw invalid(orig);
      }
      int k = 0;
      while (k < s.length() && s.charAt(k) != '.' && !(s.charAt(k) >= '0' && s.charAt(k) <= '9')) {
        k++;
      }
      if (k == 0) {
        throw new IllegalArgumentException(
            "time: missing unit in duration " + GoLayout.quote(orig));
      }
      String u = s.substring(0, k);
      s = s.substring(k);
      Long unit = UNITS.get(u);
      if (unit == null) {
        throw new IllegalArgumentException(
            "time: unknown unit " + GoLayout.quote(u) + " in duration " + GoLayout.quote(orig));
      }
      if (v.compareTo(LIMIT.divide(BigInteger.valueOf(unit))) > 0) {
        throw invalid(orig);
      }
      v = v.multiply(BigInteger.valueOf(unit));
      if (f > 0) {
        // float64 keeps fractions of hours nanosecond-accurate, as in Go
        v = v.add(BigInteger.valueOf((long) ((double) f * ((double) unit / scale))));
        if (v.compareTo(LIMIT) > 0) {
          throw invalid(orig);
        }
      }
      d = d.add(v);
      if (d.compareTo(LIMIT) > 0) {
        throw invalid(orig);
      }
    }
    if (neg) {
      return d.negate().longValue();
    }
    if (d.compareTo(LIMIT) >= 0) {
      throw invalid(orig);
    }
    return d.longValue();
  }

  private static IllegalArgumentException invalid(String orig) {
    return new IllegalArgumentException("time: invalid duration " + GoLayout.quote(orig));
  }
}
