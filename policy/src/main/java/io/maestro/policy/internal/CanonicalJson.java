package io.maestro.policy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A stable text form of a JSON tree for digests: object keys sorted by code point, no whitespace,
 * Jackson's escaping and number text. Two equal inputs give the same digest; that is all the input
 * digest of a decision needs (receipts use RFC 8785 on their own documents).
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  public static String write(JsonNode n) {
    StringBuilder b = new StringBuilder();
    write(n, b);
    return b.toString();
  }

  public static String sha256(JsonNode n) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(write(n).getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(JsonNode n, StringBuilder b) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      b.append("null");
    } else if (n.isObject()) {
      List<String> keys = new ArrayList<>();
      n.fieldNames().forEachRemaining(keys::add);
      keys.sort(CanonicalJson::compare);
      b.append('{');
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(keys.get(i)).toString());
        b.append(':');
        write(n.get(keys.get(i)), b);
      }
      b.append('}');
    } else if (n.isArray()) {
      b.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        write(n.get(i), b);
      }
      b.append(']');
    } else {
      b.append(n.toString());
    }
  }

  private static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
