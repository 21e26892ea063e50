package io.maestro.rego.builtins.text;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * Go's {@code fmt.Sprintf} over the argument kinds OPA hands it: {@link Long} (Go {@code int}),
 * {@link BigInteger} ({@code *big.Int}), {@link Double} ({@code float64}) and {@link String}.
 * Verbs, flags, width, precision, explicit argument indexes and Go's error notations ({@code
 * %!d(string=x)}, {@code %!v(MISSING)}, {@code %!(EXTRA ...)}) follow the fmt package, so that
 * policies printing with sprintf produce exactly the text OPA would.
 */
public final class GoFmt {
  private GoFmt() {}

  /** Formats {@code format} with {@code args}, as Go's fmt.Sprintf. */
  public static String sprintf(String format, List<Object> args) {
    return new Run(format, args).run();
  }

  /** The per-verb state: flags, width and precision. */
  private static final class Spec {
    boolean minus;
    boolean plus;
    boolean sharp;
    boolean space;
    boolean zero;
    int width = -1;
    int prec = -1;
  }

  private static final class Run {
    private final String format;
    private final List<Object> args;
    private final StringBuilder out = new StringBuilder();
    private int argNum;
    private boolean reordered;
    private boolean goodArgNum = true;

    Run(String format, List<Object> args) {
      this.format = format;
      this.args = args;
    }

    String run() {
      int end = format.length();
      int i = 0;
      while (i < end) {
        int lasti = i;
        while (i < end && format.charAt(i) != '%') {
          i++;
        }
        if (i > lasti) {
          out.append(format, lasti, i);
        }
        if (i >= end) {
          break;
        }
        i++; // skip %
        Spec spec = new Spec();
        // flags
        flags:
        for (; i < end; i++) {
          switch (format.charAt(i)) {
            case '#' -> spec.sharp = true;
            case '0' -> spec.zero = true;
            case '+' -> spec.plus = true;
            case '-' -> spec.minus = true;
            case ' ' -> spec.space = true;
            default -> {
              break flags;
            }
          }
        }
        // argument index and width
        i = argIndex(i);
        if (i < end && format.charAt(i) == '*') {
          i++;
          Integer w = intArg();
          if (w == null) {
            out.append("%!(BADWIDTH)");
          } else {
            spec.width = w;
            if (w < 0) {
              spec.minus = true;
              spec.width = -w;
            }
          }
          afterIndex = false;
        } else {
          int start = i;
          while (i < end && Character.isDigit(format.charAt(i))) {
            i++;
          }
          if (i > start) {
            spec.width = parseNum(format.substring(start, i));
            if (afterIndex) {
              goodArgNum = false;
            }
          }
        }
        // precision
        if (i + 1 <= end && i < end && format.charAt(i) == '.') {
          i++;
          if (afterIndex) {
            goodArgNum = false;
          }
          i = argIndex(i);
          if (i < end && format.charAt(i) == '*') {
            i++;
            Integer p = intArg();
            if (p == null || p < 0) {
              spec.prec = -1;
              out.append("%!(BADPREC)");
            } else {
              spec.prec = p;
            }
            afterIndex = false;
          } else {
            int start = i;
            while (i < end && Character.isDigit(format.charAt(i))) {
              i++;
            }
            spec.prec = i > start ? parseNum(format.substring(start, i)) : 0;
          }
        }
        if (!afterIndex) {
          i = argIndex(i);
        }
        if (i >= end) {
          out.append("%!(NOVERB)");
          break;
        }
        int verb = format.codePointAt(i);
        i += Character.charCount(verb);
        if (spec.minus) {
          spec.zero = false;
        }
        if (verb == '%') {
          out.append('%');
          continue;
        }
        if (!goodArgNum) {
          out.append("%!").appendCodePoint(verb).append("(BADINDEX)");
          continue;
        }
        if (argNum >= args.size()) {
          out.append("%!").appendCodePoint(verb).append("(MISSING)");
          continue;
        }
        Object arg = args.get(argNum++);
        printArg(arg, verb, spec);
      }
      if (!reordered && argNum < args.size()) {
        out.append("%!(EXTRA ");
        for (int k = argNum; k < args.size(); k++) {
          if (k > argNum) {
            out.append(", ");
          }
          Object a = args.get(k);
          out.append(typeName(a)).append('=');
          printArg(a, 'v', new Spec());
        }
        out.append(')');
      }
      return out.toString();
    }

    private boolean afterIndex;

    /** Parses an explicit argument index "[n]" at i, if present. */
    private int argIndex(int i) {
      afterIndex = false;
      if (i >= format.length() || format.charAt(i) != '[') {
        return i;
      }
      reordered = true;
      int close = format.indexOf(']', i);
      if (close < 0) {
        goodArgNum = false;
        return format.length();
      }
      String digits = format.substring(i + 1, close);
      int n;
      try {
        n = Integer.parseInt(digits);
      } catch (NumberFormatException e) {
        goodArgNum = false;
        return close + 1;
      }
      if (n < 1 || n > args.size() || !digits.chars().allMatch(Character::isDigit)) {
        goodArgNum = false;
        return close + 1;
      }
      argNum = n - 1;
      afterIndex = true;
      return close + 1;
    }

    private Integer intArg() {
      if (argNum >= args.size()) {
        return null;
      }
      Object a = args.get(argNum++);
      if (a instanceof Long l && Math.abs(l) <= 1_000_000) {
        return l.intValue();
      }
      return null;
    }

    private static int parseNum(String s) {
      try {
        return Math.min(Integer.parseInt(s), 1_000_000);
      } catch (NumberFormatException e) {
        return 1_000_000;
      }
    }

    private void printArg(Object arg, int verb, Spec spec) {
      switch (arg) {
        case Long l -> formatInteger(BigInteger.valueOf(l), verb, spec, "int", false);
        case BigInteger b -> formatInteger(b, verb, spec, "*big.Int", true);
        case Double d -> formatFloat(d, verb, spec);
        case String s -> formatString(s, verb, spec);
        default -> formatString(String.valueOf(arg), verb, spec);
      }
    }

    private void badVerb(Object arg, int verb) {
      out.append("%!").appendCodePoint(verb).append('(').append(typeName(arg)).append('=');
      printArg(arg, 'v', new Spec());
      out.append(')');
    }

    private static String typeName(Object arg) {
      return switch (arg) {
        case Long l -> "int";
        case BigInteger b -> "*big.Int";
        case Double d -> "float64";
        default -> "string";
      };
    }

    // ---- padding ----

    private void pad(String s, Spec spec) {
      int n = s.codePointCount(0, s.length());
      if (spec.width <= n) {
        out.append(s);
        return;
      }
      String fill = " ".repeat(spec.width - n);
      if (spec.minus) {
        out.append(s).append(fill);
      } else {
        out.append(fill).append(s);
      }
    }

    /** Pads a signed number: zero padding goes between the sign/prefix and the digits. */
    private void padNumber(String sign, String digits, Spec spec, boolean zeroAllowed) {
      int len = sign.length() + digits.length();
      if (spec.zero && zeroAllowed && !spec.minus && spec.width > len) {
        out.append(sign).append("0".repeat(spec.width - len)).append(digits);
        return;
      }
      pad(sign + digits, spec);
    }

    // ---- integers ----

    private void formatInteger(BigInteger v, int verb, Spec spec, String type, boolean big) {
      switch (verb) {
        case 'v', 'd' -> integer(v, 10, false, spec, "");
        case 's' -> {
          if (big) {
            integer(v, 10, false, spec, "");
          } else {
            badVerb(v.longValue(), verb);
          }
        }
        case 'b' -> integer(v, 2, false, spec, spec.sharp ? "0b" : "");
        case 'o' -> integer(v, 8, false, spec, spec.sharp ? "0" : "");
        case 'O' -> integer(v, 8, false, spec, "0o");
        case 'x' -> integer(v, 16, false, spec, spec.sharp ? "0x" : "");
        case 'X' -> integer(v, 16, true, spec, spec.sharp ? "0X" : "");
        case 'c' -> {
          if (big) {
            badVerb(v, verb);
          } else {
            pad(new String(Character.toChars(validRune(v))), spec);
          }
        }
        case 'q' -> {
          if (big) {
            badVerb(v, verb);
          } else {
            pad(GoQuote.quoteRune(validRune(v), spec.plus), spec);
          }
        }
        case 'U' -> {
          if (big) {
            badVerb(v, verb);
          } else {
            String hex = v.toString(16).toUpperCase(java.util.Locale.ROOT);
            int prec = Math.max(4, spec.prec);
            StringBuilder sb = new StringBuilder("U+");
            sb.append("0".repeat(Math.max(0, prec - hex.length()))).append(hex);
            if (spec.sharp && v.signum() >= 0 && v.bitLength() < 32) {
              int cp = v.intValue();
              if (cp <= Character.MAX_CODE_POINT && Character.isDefined(cp)) {
                sb.append(" '").appendCodePoint(cp).append('\'');
              }
            }
            pad(sb.toString(), spec);
          }
        }
        case 'e', 'E', 'f', 'F', 'g', 'G' -> {
          if (big) {
            badVerb(v, verb);
          } else {
            badVerb(v.longValue(), verb);
          }
        }
        default -> {
          if (big) {
            badVerb(v, verb);
          } else {
            badVerb(v.longValue(), verb);
          }
        }
      }
    }

    private static int validRune(BigInteger v) {
      if (v.signum() < 0 || v.bitLength() > 31 || v.intValue() > Character.MAX_CODE_POINT) {
        return 0xFFFD;
      }
      int cp = v.intValue();
      return cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp;
    }

    private void integer(BigInteger v, int base, boolean upper, Spec spec, String prefix) {
      String digits = v.abs().toString(base);
      if (upper) {
        digits = digits.toUpperCase(java.util.Locale.ROOT);
      }
      if (spec.prec >= 0) {
        if (spec.prec == 0 && v.signum() == 0) {
          digits = "";
        } else if (digits.length() < spec.prec) {
          digits = "0".repeat(spec.prec - digits.length()) + digits;
        }
      }
      String sign = v.signum() < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";
      padNumber(sign + prefix, digits, spec, spec.prec < 0);
    }

    // ---- floats ----

    private void formatFloat(double d, int verb, Spec spec) {
      switch (verb) {
        case 'v' -> floatOut(d, 'g', spec.prec, spec);
        case 'g', 'G' -> floatOut(d, verb, spec.prec, spec);
        case 'e', 'E', 'f', 'F' -> floatOut(d, verb, spec.prec < 0 ? 6 : spec.prec, spec);
        default -> badVerb(d, verb);
      }
    }

    private void floatOut(double d, int verb, int prec, Spec spec) {
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        String s = Double.isNaN(d) ? "NaN" : "Inf";
        String sign = d < 0 ? "-" : (spec.plus && !Double.isNaN(d)) ? "+" : spec.space ? " " : "";
        if (Double.isNaN(d) && spec.plus) {
          sign = "+";
        }
        pad(sign + s, spec);
        return;
      }
      boolean neg = d < 0 || (d == 0 && 1 / d < 0);
      String body = GoFloat.format(Math.abs(d), (char) verb, prec, spec.sharp);
      String sign = neg ? "-" : spec.plus ? "+" : spec.space ? " " : "";
      padNumber(sign, body, spec, true);
    }

    // ---- strings ----

    private void formatString(String s, int verb, Spec spec) {
      switch (verb) {
        case 'v', 's' -> pad(truncate(s, spec.prec), spec);
        case 'q' -> pad(GoQuote.quote(truncate(s, spec.prec), spec.plus, spec.sharp), spec);
        case 'x', 'X' -> pad(hex(truncate(s, spec.prec), verb == 'X', spec), spec);
        default -> badVerb(s, verb);
      }
    }

    private static String truncate(String s, int prec) {
      if (prec < 0 || s.codePointCount(0, s.length()) <= prec) {
        return s;
      }
      return s.substring(0, s.offsetByCodePoints(0, prec));
    }

    private static String hex(String s, boolean upper, Spec spec) {
      byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      String digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < bytes.length; i++) {
        if (spec.space && i > 0) {
          sb.append(' ');
        }
        if (spec.sharp && (spec.space || i == 0)) {
          sb.append(upper ? "0X" : "0x");
        }
        int b = bytes[i] & 0xff;
        sb.append(digits.charAt(b >> 4)).append(digits.charAt(b & 0xf));
      }
      return sb.toString();
    }
  }

  /** Go's strconv float formatting ('e', 'f', 'g' with a precision, or shortest with -1). */
  static final class GoFloat {
    private GoFloat() {}

    /** Formats a non-negative finite double. */
    static String format(double d, char verb, int prec, boolean sharp) {
      char fmt = Character.toLowerCase(verb);
      boolean upper = Character.isUpperCase(verb);
      // digits and decimal point position: value = 0.d1d2d3... * 10^dp
      String digits;
      int dp;
      boolean shortest = prec < 0;
      if (d == 0) {
        digits = "";
        dp = 0;
      } else if (shortest) {
        BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        digits = b.unscaledValue().toString();
        dp = digits.length() - b.scale();
      } else {
        BigDecimal exact = new BigDecimal(d);
        int precision =
            switch (fmt) {
              case 'e' -> prec + 1;
              case 'g' -> prec == 0 ? 1 : prec;
              default -> -1;
            };
        BigDecimal r;
        if (precision > 0) {
          r = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
        } else {
          r = exact.setScale(prec, RoundingMode.HALF_EVEN);
        }
        if (r.signum() == 0) {
          digits = "";
          dp = 0;
        } else {
          r = r.stripTrailingZeros();
          digits = r.unscaledValue().toString();
          dp = digits.length() - r.scale();
        }
      }
      switch (fmt) {
        case 'e' -> {
          return fmtE(digits, dp, shortest ? Math.max(digits.length() - 1, 0) : prec, upper);
        }
        case 'f' -> {
          return fmtF(digits, dp, shortest ? Math.max(digits.length() - dp, 0) : prec);
        }
        default -> {
          int nd = digits.length();
          int p = shortest ? nd : (prec == 0 ? 1 : prec);
          int eprec = p;
          if (eprec > nd && nd >= dp) {
            eprec = nd;
          }
          if (shortest) {
            eprec = 6;
          }
          int exp = dp - 1;
          if (exp < -4 || exp >= eprec) {
            if (p > nd) {
              p = nd;
            }
            return fmtE(digits, dp, Math.max(p - 1, 0), upper);
          }
          if (p > dp) {
            p = nd;
          }
          return fmtF(digits, dp, Math.max(p - dp, 0));
        }
      }
    }

    private static String fmtE(String digits, int dp, int prec, boolean upper) {
      StringBuilder sb = new StringBuilder();
      char first = digits.isEmpty() ? '0' : digits.charAt(0);
      sb.append(first);
      if (prec > 0) {
        sb.append('.');
        for (int i = 1; i <= prec; i++) {
          sb.append(i < digits.length() ? digits.charAt(i) : '0');
        }
      }
      int exp = digits.isEmpty() ? 0 : dp - 1;
      sb.append(upper ? 'E' : 'e');
      sb.append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        sb.append('0');
      }
      sb.append(a);
      return sb.toString();
    }

    private static String fmtF(String digits, int dp, int prec) {
      StringBuilder sb = new StringBuilder();
      if (dp > 0) {
        for (int i = 0; i < dp; i++) {
          sb.append(i < digits.length() ? digits.charAt(i) : '0');
        }
      } else {
        sb.append('0');
      }
      if (prec > 0) {
        sb.append('.');
        for (int i = 0; i < prec; i++) {
          int j = dp + i;
          sb.append(j >= 0 && j < digits.length() ? digits.charAt(j) : '0');
        }
      }
      return sb.toString();
    }
  }
}
