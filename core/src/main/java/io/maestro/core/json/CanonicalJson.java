package io.maestro.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON Canonicalization Scheme of RFC 8785: objects with members sorted by their UTF-16 code
 * units, no insignificant whitespace, strings with the minimal escaping of ECMAScript's {@code
 * JSON.stringify}, and numbers in ECMAScript's shortest round-trip form. Two parties that
 * canonicalize the same JSON data get the same bytes, so a hash of those bytes identifies the data
 * wherever it is computed.
 *
 * <p>This is the one canonical form every digest of a JSON document uses: receipts, checkpoints,
 * exports and the input digest of policy decisions. (Policy bundle files are hashed as OPA hashes
 * them instead, see the policy module's {@code FileHasher}, so that stock OPA signatures verify.)
 *
 * <p>Thread-safe and stateless.
 */
public final class CanonicalJson {
  /**
   * A parser for inputs to be canonicalized: duplicate member names are an error (RFC 8785 requires
   * I-JSON, where they are not allowed).
   */
  private static final ObjectMapper STRICT =
      JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private CanonicalJson() {}

  /** Parses {@code json} strictly and returns its canonical UTF-8 bytes. */
  public static byte[] canonicalize(String json) {
    return canonicalize(parse(json));
  }

  /** The canonical UTF-8 bytes of {@code node}. */
  public static byte[] canonicalize(JsonNode node) {
    return toCanonicalString(node).getBytes(StandardCharsets.UTF_8);
  }

  /** {@code sha256:} and the hex SHA-256 of the canonical UTF-8 bytes of {@code node}. */
  public static String sha256(JsonNode node) {
    try {
      return "sha256:"
          + HexFormat.of()
              .formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalize(node)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The canonical form of {@code node} as a string. */
  public static String toCanonicalString(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    write(node, out);
    return out.toString();
  }

  /**
   * The canonical UTF-8 bytes of the object {@code node} without its member {@code excluded}
   * (without copying the object first).
   */
  public static byte[] canonicalizeWithout(JsonNode node, String excluded) {
    if (!node.isObject()) {
      throw new CanonicalizationException("not a JSON object");
    }
    StringBuilder out = new StringBuilder(512);
    writeObject(node, out, excluded);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Parses JSON text, rejecting duplicate member names. */
  public static JsonNode parse(String json) {
    try {
      return STRICT.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CanonicalizationException("not valid I-JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> writeObject(node, out, null);
      case ARRAY -> {
        out.append('[');
        boolean first = true;
        for (JsonNode element : node) {
          if (!first) {
            out.append(',');
          }
          first = false;
          write(element, out);
        }
        out.append(']');
      }
      case STRING -> writeString(node.textValue(), out);
      case NUMBER -> out.append(formatNumber(node.doubleValue()));
      case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
      case NULL -> out.append("null");
      default ->
          throw new CanonicalizationException(
              "JSON value of type " + node.getNodeType() + " has no canonical form");
    }
  }

  private static void writeObject(JsonNode node, StringBuilder out, String excluded) {
    List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
    for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().equals(excluded)) {
        members.add(e);
      }
    }
    // String.compareTo compares UTF-16 code units, which is exactly the order RFC 8785 asks for.
    members.sort(Map.Entry.comparingByKey());
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, JsonNode> member : members) {
      if (!first) {
        out.append(',');
      }
      first = false;
      writeString(member.getKey(), out);
      out.append(':');
      write(member.getValue(), out);
    }
    out.append('}');
  }

  /** Writes a JSON string with the escaping of ECMAScript's {@code JSON.stringify}. */
  static void writeString(String s, StringBuilder out) {
    out.append('"');
    // Most strings need no escaping at all: copy them in one go.
    int plain = 0;
    while (plain < s.length()) {
      char c = s.charAt(plain);
      if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
        break;
      }
      plain++;
    }
    out.append(s, 0, plain);
    for (int i = plain; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(hexDigit(c & 0xF));
          } else if (Character.isSurrogate(c)) {
            // A lone surrogate cannot be encoded as UTF-8; I-JSON forbids it.
            if (Character.isHighSurrogate(c)
                && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1))) {
              out.append(c).append(s.charAt(++i));
            } else {
              throw new CanonicalizationException("string contains a lone surrogate at index " + i);
            }
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * The one-digit decimal (as "d", or "10" when rounding up carries) that reads back as {@code
   * abs}, the closer one if both neighbours do, or null when none does.
   */
  private static String oneDigit(double abs, String twoDigits, int pointPos) {
    int d = twoDigits.charAt(0) - '0';
    java.math.BigDecimal exact = new java.math.BigDecimal(abs);
    String best = null;
    java.math.BigDecimal bestDistance = null;
    for (int candidate : new int[] {d, d + 1}) {
      java.math.BigDecimal v =
          java.math.BigDecimal.valueOf(candidate).scaleByPowerOfTen(pointPos - 1);
      if (v.signum() == 0 || v.doubleValue() != abs) {
        continue;
      }
      java.math.BigDecimal distance = v.subtract(exact).abs();
      if (bestDistance == null || distance.compareTo(bestDistance) < 0) {
        best = candidate == 10 ? "10" : Integer.toString(candidate);
        bestDistance = distance;
      }
    }
    return best;
  }

  private static char hexDigit(int v) {
    return Character.forDigit(v, 16);
  }

  /**
   * Formats a double as ECMAScript's {@code Number.prototype.toString} does (ECMA-262, section
   * 7.1.12.1): the shortest digits that read back as the same double, plain notation for decimal
   * exponents from -6 to 20 and exponent notation outside. NaN and infinities have no JSON form.
   */
  public static String formatNumber(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new CanonicalizationException("NaN and Infinity have no JSON representation");
    }
    if (value == 0) {
      return "0"; // covers -0 as well
    }
    // Since JDK 19 Double.toString yields the shortest decimal that rounds to the value (and the
    // closest such one), which is the digit string ECMAScript specifies; only the layout differs.
    String java = Double.toString(Math.abs(value));
    String digits;
    int pointPos; // ECMAScript's n: value = 0.digits * 10^n
    int e = java.indexOf('E');
    String mantissa = e < 0 ? java : java.substring(0, e);
    int exponent = e < 0 ? 0 : Integer.parseInt(java.substring(e + 1));
    int dot = mantissa.indexOf('.');
    String intPart = mantissa.substring(0, dot);
    String fracPart = mantissa.substring(dot + 1);
    String all = intPart + fracPart;
    int lead = 0;
    while (lead < all.length() - 1 && all.charAt(lead) == '0') {
      lead++;
    }
    int end = all.length();
    while (end > lead + 1 && all.charAt(end - 1) == '0') {
      end--;
    }
    digits = all.substring(lead, end);
    pointPos = intPart.length() - lead + exponent;
    if (digits.length() == 2) {
      // Double.toString always prints two significant digits, even where one would read back as
      // the same double (4.9E-324 for 5e-324); ECMAScript wants the shortest, so try one digit.
      String shorter = oneDigit(Math.abs(value), digits, pointPos);
      if (shorter != null) {
        pointPos = shorter.length() == 2 ? pointPos + 1 : pointPos;
        digits = shorter.substring(0, 1);
      }
    }
    int k = digits.length();
    int n = pointPos;
    StringBuilder out = new StringBuilder(32);
    if (value < 0) {
      out.append('-');
    }
    if (k <= n && n <= 21) {
      out.append(digits);
      out.repeat('0', n - k);
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.");
      out.repeat('0', -n);
      out.append(digits);
    } else {
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      int exp = n - 1;
      out.append('e').append(exp < 0 ? '-' : '+').append(Math.abs(exp));
    }
    return out.toString();
  }
}
