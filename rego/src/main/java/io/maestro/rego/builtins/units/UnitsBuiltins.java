package io.maestro.rego.builtins.units;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.NumberValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;

/**
 * units.parse (SI and binary suffixes, exact, "m" is milli) and units.parse_bytes (byte sizes,
 * case-insensitive, truncated to an integer). Both follow OPA's parsing: quotes are dropped, spaces
 * are rejected, the number may use scientific notation with at most six exponent digits.
 */
public final class UnitsBuiltins implements BuiltinFamily {
  private static final BigInteger K = BigInteger.valueOf(1000);
  private static final BigInteger KI = BigInteger.valueOf(1024);

  // OPA multiplies by the float64 nearest 0.001, exactly, then rounds to ten decimals.
  private static final BigDecimal MILLI = new BigDecimal(0.001);

  private static final Map<String, BigInteger> UNITS =
      Map.ofEntries(
          Map.entry("", BigInteger.ONE),
          Map.entry("k", K),
          Map.entry("K", K),
          Map.entry("ki", KI),
          Map.entry("Ki", KI),
          Map.entry("M", K.pow(2)),
          Map.entry("mi", KI.pow(2)),
          Map.entry("Mi", KI.pow(2)),
          Map.entry("g", K.pow(3)),
          Map.entry("G", K.pow(3)),
          Map.entry("gi", KI.pow(3)),
          Map.entry("Gi", KI.pow(3)),
          Map.entry("t", K.pow(4)),
          Map.entry("T", K.pow(4)),
          Map.entry("ti", KI.pow(4)),
          Map.entry("Ti", KI.pow(4)),
          Map.entry("p", K.pow(5)),
          Map.entry("P", K.pow(5)),
          Map.entry("pi", KI.pow(5)),
          Map.entry("Pi", KI.pow(5)),
          Map.entry("e", K.pow(6)),
          Map.entry("E", K.pow(6)),
          Map.entry("ei", KI.pow(6)),
          Map.entry("Ei", KI.pow(6)));

  private static final Map<String, BigInteger> BYTE_UNITS =
      Map.ofEntries(
          Map.entry("", BigInteger.ONE),
          Map.entry("kb", K),
          Map.entry("k", K),
          Map.entry("kib", KI),
          Map.entry("ki", KI),
          Map.entry("mb", K.pow(2)),
          Map.entry("m", K.pow(2)),
          Map.entry("mib", KI.pow(2)),
          Map.entry("mi", KI.pow(2)),
          Map.entry("gb", K.pow(3)),
          Map.entry("g", K.pow(3)),
          Map.entry("gib", KI.pow(3)),
          Map.entry("gi", KI.pow(3)),
          Map.entry("tb", K.pow(4)),
          Map.entry("t", K.pow(4)),
          Map.entry("tib", KI.pow(4)),
          Map.entry("ti", KI.pow(4)),
          Map.entry("pb", K.pow(5)),
          Map.entry("p", K.pow(5)),
          Map.entry("pib", KI.pow(5)),
          Map.entry("pi", KI.pow(5)),
          Map.entry("eb", K.pow(6)),
          Map.entry("e", K.pow(6)),
          Map.entry("eib", KI.pow(6)),
          Map.entry("ei", KI.pow(6)));

  @Override
  public void register(BuiltinRegistry r) {
    r.register(
        "units.parse", "(string) => number", (ctx, a) -> parse(Args.string("units.parse", a, 0)));
    r.register(
        "units.parse_bytes",
        "(string) => number",
        (ctx, a) -> parseBytes(Args.string("units.parse_bytes", a, 0)));
  }

  static NumberValue parse(String raw) {
    String b = "units.parse";
    String s = raw.replace("\"", "");
    if (s.contains(" ")) {
      throw BuiltinException.error(b, "spaces not allowed in resource strings");
    }
    String[] parts = split(b, s);
    String num = parts[0];
    String unit = parts[1];
    if (num.isEmpty()) {
      throw BuiltinException.error(b, "no amount provided");
    }
    // Only the letters after the first are lowercased, so that "m" (milli) and "M" differ.
    if (unit.length() > 1) {
      unit = unit.charAt(0) + unit.substring(1).toLowerCase(Locale.ROOT);
    }
    BigDecimal factor;
    if (unit.equals("m")) {
      factor = MILLI;
    } else if (UNITS.containsKey(unit)) {
      factor = new BigDecimal(UNITS.get(unit));
    } else {
      throw BuiltinException.error(b, "unit " + unit + " not recognized");
    }
    BigDecimal n = number(num);
    if (n == null) {
      throw BuiltinException.error(b, "could not parse amount to a number");
    }
    BigDecimal product = n.multiply(factor);
    if (product.signum() == 0 || product.stripTrailingZeros().scale() <= 0) {
      return NumberValue.of(product.toBigIntegerExact());
    }
    return NumberValue.of(product.setScale(10, RoundingMode.HALF_UP));
  }

  static NumberValue parseBytes(String raw) {
    String b = "units.parse_bytes";
    String s = raw.toLowerCase(Locale.ROOT).replace("\"", "");
    if (s.contains(" ")) {
      throw BuiltinException.error(b, "spaces not allowed in resource strings");
    }
    String[] parts = split(b, s);
    if (parts[0].isEmpty()) {
      throw BuiltinException.error(b, "no byte amount provided");
    }
    BigInteger factor = BYTE_UNITS.get(parts[1]);
    if (factor == null) {
      throw BuiltinException.error(b, "byte unit " + parts[1] + " not recognized");
    }
    BigDecimal n = number(parts[0]);
    if (n == null) {
      throw BuiltinException.error(b, "could not parse byte amount to a number");
    }
    // OPA computes with 64-bit-mantissa big.Float values and truncates the product.
    BigDecimal product = Float64Bit.round(Float64Bit.round(n).multiply(new BigDecimal(factor)));
    return NumberValue.of(product.toBigInteger());
  }

  /** Splits "10.5e3KiB" into number and unit, as OPA's extractNumAndUnit does. */
  private static String[] split(String builtin, String s) {
    int first = -1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean numeric = Character.isDigit(c) || c == '.';
      if (!numeric && c != 'e' && c != 'E' && c != '+' && c != '-') {
        first = i;
        break;
      }
      if (c == 'e' || c == 'E') {
        if (i == s.length() - 1
            || (!Character.isDigit(s.charAt(i + 1))
                && s.charAt(i + 1) != '+'
                && s.charAt(i + 1) != '-')) {
          first = i;
          break;
        }
        if (s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-') {
          i++;
        }
        int start = i + 1;
        int end = start;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
          end++;
        }
        if (end - start > 6) {
          throw BuiltinException.error(builtin, "exponent too large");
        }
      }
    }
    if (first < 0) {
      return new String[] {s, ""};
    }
    return new String[] {s.substring(0, first), s.substring(first)};
  }

  private static BigDecimal number(String s) {
    if (s.isEmpty() || s.chars().noneMatch(Character::isDigit)) {
      return null;
    }
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Rounding to a 64-bit binary mantissa (big.Float's default precision), half to even. */
  static final class Float64Bit {
    private Float64Bit() {}

    static BigDecimal round(BigDecimal x) {
      if (x.signum() == 0) {
        return x;
      }
      BigDecimal abs = x.abs();
      BigInteger num;
      BigInteger den;
      if (abs.scale() > 0) {
        num = abs.unscaledValue();
        den = BigInteger.TEN.pow(abs.scale());
      } else {
        num = abs.unscaledValue().multiply(BigInteger.TEN.pow(-abs.scale()));
        den = BigInteger.ONE;
      }
      int e = num.bitLength() - den.bitLength() - 64;
      BigInteger m;
      while (true) {
        BigInteger n2 = e >= 0 ? num : num.shiftLeft(-e);
        BigInteger d2 = e >= 0 ? den.shiftLeft(e) : den;
        BigInteger[] qr = n2.divideAndRemainder(d2);
        if (qr[0].bitLength() > 64) {
          e++;
          continue;
        }
        if (qr[0].bitLength() < 64) {
          e--;
          continue;
        }
        m = qr[0];
        int cmp = qr[1].shiftLeft(1).compareTo(d2);
        if (cmp > 0 || (cmp == 0 && m.testBit(0))) {
          m = m.add(BigInteger.ONE);
        }
        break;
      }
      BigDecimal r = new BigDecimal(m);
      r =
          e >= 0
              ? r.multiply(new BigDecimal(BigInteger.TWO.pow(e)))
              : r.divide(new BigDecimal(BigInteger.TWO.pow(-e)));
      return x.signum() < 0 ? r.negate() : r;
    }
  }
}
