package io.maestro.rego.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.OptionalLong;

/**
 * An arbitrary-precision Rego number. Integers that fit a {@code long} are kept as one (the common
 * case, and the fast one); everything else is an exact {@link BigDecimal}.
 */
public final class NumberValue implements Value {
  private static final NumberValue[] SMALL = new NumberValue[1024 + 128];
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  static {
    for (int i = 0; i < SMALL.length; i++) {
      SMALL[i] = new NumberValue(i - 128, null);
    }
  }

  public static final NumberValue ZERO = of(0);
  public static final NumberValue ONE = of(1);

  private final long small;
  // Null when the number is an integer that fits a long.
  private final BigDecimal big;
  // The literal text as written, kept so that 1.0 prints as written; null when computed.
  private final String text;

  private NumberValue(long small, BigDecimal big) {
    this(small, big, null);
  }

  private NumberValue(long small, BigDecimal big, String text) {
    this.small = small;
    this.big = big;
    this.text = text;
  }

  public static NumberValue of(long v) {
    if (v >= -128 && v < SMALL.length - 128) {
      return SMALL[(int) v + 128];
    }
    return new NumberValue(v, null);
  }

  public static NumberValue of(int v) {
    return of((long) v);
  }

  public static NumberValue of(BigInteger v) {
    if (v.bitLength() < 64) {
      return of(v.longValue());
    }
    return new NumberValue(0, new BigDecimal(v));
  }

  public static NumberValue of(BigDecimal v) {
    if (v.signum() == 0) {
      return ZERO;
    }
    if (v.scale() <= 0 || v.stripTrailingZeros().scale() <= 0) {
      if (v.compareTo(LONG_MIN) >= 0 && v.compareTo(LONG_MAX) <= 0) {
        return of(v.longValueExact());
      }
      return new NumberValue(0, v.setScale(0));
    }
    return new NumberValue(0, v);
  }

  /** A float64 value; non-finite values are not numbers in Rego. */
  public static NumberValue of(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new ArithmeticException("not a finite number: " + d);
    }
    if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
      return of((long) d);
    }
    return of(new BigDecimal(Double.toString(d)));
  }

  /** Parses a JSON/Rego number literal exactly. */
  public static NumberValue parse(String s) {
    NumberValue n = of(new BigDecimal(s));
    if (n.big != null && !n.isInteger() && !s.equals(n.big.toPlainString())) {
      return n;
    }
    if (n.big == null && !s.equals(Long.toString(n.small)) && s.indexOf('.') >= 0) {
      // keep "1.0" as written for printing; value semantics stay numeric
      return new NumberValue(n.small, null, s);
    }
    return n;
  }

  public boolean isInteger() {
    return big == null || big.scale() <= 0;
  }

  /** True when the number is an integer that fits a long. */
  public boolean isLong() {
    return big == null;
  }

  public BigDecimal decimal() {
    return big != null ? big : BigDecimal.valueOf(small);
  }

  public BigInteger bigInteger() {
    if (big == null) {
      return BigInteger.valueOf(small);
    }
    return big.toBigIntegerExact();
  }

  public long longValueExact() {
    if (big == null) {
      return small;
    }
    return big.longValueExact();
  }

  public OptionalLong asLong() {
    return big == null ? OptionalLong.of(small) : OptionalLong.empty();
  }

  /** The int value when this is an integer in int range, else empty. */
  public java.util.OptionalInt asInt() {
    if (big == null && small >= Integer.MIN_VALUE && small <= Integer.MAX_VALUE) {
      return java.util.OptionalInt.of((int) small);
    }
    return java.util.OptionalInt.empty();
  }

  public double doubleValue() {
    return big == null ? (double) small : big.doubleValue();
  }

  public int signum() {
    return big == null ? Long.signum(small) : big.signum();
  }

  @Override
  public String typeName() {
    return "number";
  }

  @Override
  public int typeRank() {
    return 2;
  }

  @Override
  public JsonNode toJson() {
    if (big == null) {
      return LongNode.valueOf(small);
    }
    if (isInteger()) {
      return BigIntegerNode.valueOf(big.toBigInteger());
    }
    return DecimalNode.valueOf(big);
  }

  @Override
  public int compareTo(Value o) {
    if (o instanceof NumberValue n) {
      if (big == null && n.big == null) {
        return Long.compare(small, n.small);
      }
      return decimal().compareTo(n.decimal());
    }
    return Integer.compare(2, o.typeRank());
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof NumberValue n)) {
      return false;
    }
    if (big == null && n.big == null) {
      return small == n.small;
    }
    if (big == null || n.big == null) {
      return false; // canonical form: a long-sized integer is never held as BigDecimal
    }
    return big.compareTo(n.big) == 0;
  }

  @Override
  public int hashCode() {
    if (big == null) {
      return Long.hashCode(small);
    }
    return big.stripTrailingZeros().hashCode();
  }

  /** The number as OPA prints it: integers plainly, decimals without exponent where possible. */
  @Override
  public String toString() {
    if (text != null) {
      return text;
    }
    if (big == null) {
      return Long.toString(small);
    }
    if (isInteger()) {
      return big.toBigInteger().toString();
    }
    BigDecimal s = big.stripTrailingZeros();
    if (s.scale() > 30 || s.precision() - s.scale() > 30) {
      return s.toString().replace("E+", "e+").replace("E-", "e-");
    }
    return s.toPlainString();
  }
}
