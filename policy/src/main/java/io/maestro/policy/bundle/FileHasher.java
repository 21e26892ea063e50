package io.maestro.policy.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes file digests exactly as OPA's bundle signatures do. Policy and other unstructured files
 * are hashed as bytes. Structured files ({@code data.json}, {@code data.yaml}, {@code .manifest},
 * {@code .signatures.json}) are parsed and hashed over a re-encoding in which object keys are
 * sorted by their UTF-8 bytes, there is no whitespace, strings are encoded as Go's JSON encoder
 * does without HTML escaping, and numbers keep their literal text. That is OPA's scheme, not RFC
 * 8785: a bundle signed by {@code opa sign} verifies here and the other way round.
 */
public final class FileHasher {
  private static final JsonFactory JSON = new JsonFactory();
  private static final YAMLMapper YAML = new YAMLMapper();

  private FileHasher() {}

  /** Whether OPA hashes the file at {@code path} structurally rather than byte for byte. */
  public static boolean isStructured(String path) {
    String base = path.substring(path.lastIndexOf('/') + 1);
    return base.equals("data.json")
        || base.equals("data.yaml")
        || base.equals(".signatures.json")
        || base.equals(".manifest");
  }

  /** The hex digest of the file at {@code path} with {@code content}, as OPA computes it. */
  public static String hash(String path, byte[] content, HashAlgorithm algorithm) {
    MessageDigest digest = algorithm.newDigest();
    if (isStructured(path)) {
      digest.update(canonical(path, content));
    } else {
      digest.update(content);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The byte sequence OPA feeds to the hash for a structured file. */
  static byte[] canonical(String path, byte[] content) {
    Object tree;
    try {
      tree = path.endsWith(".yaml") ? fromYaml(YAML.readTree(content)) : parseJson(content);
    } catch (IOException e) {
      throw new BundleException(path + ": not valid " + (path.endsWith(".yaml") ? "YAML" : "JSON"));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length);
    walk(tree, out);
    return out.toByteArray();
  }

  /** A JSON number kept as its literal text, as Go's {@code json.Number} keeps it. */
  private record NumberText(String text) {}

  private static Object parseJson(byte[] content) throws IOException {
    try (JsonParser p = JSON.createParser(content)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new IOException("empty document");
      }
      Object v = read(p, t);
      if (p.nextToken() != null) {
        throw new IOException("trailing content");
      }
      return v;
    }
  }

  private static Object read(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new TreeMap<>(FileHasher::compareUtf8);
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String key = p.currentName();
          m.put(key, read(p, p.nextToken()));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          l.add(read(p, e));
        }
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new NumberText(p.getText());
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IOException("unexpected token " + t);
    }
  }

  private static Object fromYaml(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isObject()) {
      Map<String, Object> m = new TreeMap<>(FileHasher::compareUtf8);
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        m.put(e.getKey(), fromYaml(e.getValue()));
      }
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(e -> l.add(fromYaml(e)));
      return l;
    }
    if (n.isNumber()) {
      // YAML has no literal to keep; OPA converts YAML to JSON first, which prints integers as
      // integers and other numbers in their shortest form.
      BigDecimal d = n.decimalValue().stripTrailingZeros();
      return new NumberText(n.isIntegralNumber() ? n.bigIntegerValue().toString() : d.toString());
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    return n.asText();
  }

  @SuppressWarnings("unchecked")
  private static void walk(Object v, ByteArrayOutputStream out) {
    if (v instanceof Map<?, ?> m) {
      out.write('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
        if (!first) {
          out.write(',');
        }
        first = false;
        writeString(e.getKey(), out);
        out.write(':');
        walk(e.getValue(), out);
      }
      out.write('}');
    } else if (v instanceof List<?> l) {
      out.write('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        walk(l.get(i), out);
      }
      out.write(']');
    } else if (v instanceof String s) {
      writeString(s, out);
    } else if (v instanceof NumberText n) {
      out.writeBytes(n.text().getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof Boolean b) {
      out.writeBytes((b ? "true" : "false").getBytes(StandardCharsets.UTF_8));
    } else {
      out.writeBytes("null".getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Go's encoding/json string form with HTML escaping off (Go 1.22 and later). */
  static void writeString(String s, ByteArrayOutputStream out) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\u2028' -> b.append("\\u2028");
        case '\u2029' -> b.append("\\u2029");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else if (Character.isSurrogate(c)
              && !(Character.isHighSurrogate(c)
                  && i + 1 < s.length()
                  && Character.isLowSurrogate(s.charAt(i + 1)))
              && !(Character.isLowSurrogate(c)
                  && i > 0
                  && Character.isHighSurrogate(s.charAt(i - 1)))) {
            // A lone surrogate is invalid UTF-8 to Go, which writes the replacement character.
            b.append('\ufffd');
          } else {
            b.append(c);
          }
        }
      }
    }
    out.writeBytes(b.append('"').toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Go's {@code sort.Strings} order: by UTF-8 bytes, which is code point order. */
  static int compareUtf8(String a, String b) {
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
