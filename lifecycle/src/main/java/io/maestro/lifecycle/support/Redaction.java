package io.maestro.lifecycle.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The redaction every tenant health bundle passes before it leaves the server: secrets, tokens,
 * keys, e-mail addresses and free text never survive, whatever the collector put in. It works on
 * the finished document rather than trusting each collector to leave things out: a field added
 * later is redacted by the same rules. Values are replaced, not removed, so the reader sees that
 * something was there ({@code [redacted: secret]}, {@code [email]}, {@code [free text: 42 chars]}).
 */
public final class Redaction {
  /** Keys whose values are secrets, whatever they hold. */
  private static final Pattern SECRET_KEY =
      Pattern.compile(
          "(?i).*(secret|token|password|passwd|passphrase|api[_-]?key|private[_-]?key|signing[_-]?key"
              + "|authorization|cookie|credential|signature|jwk).*");

  /** Keys whose values are people's words (error messages, reasons, comments). */
  private static final Set<String> FREE_TEXT =
      Set.of(
          "error",
          "message",
          "detail",
          "reason",
          "comment",
          "description",
          "note",
          "text",
          "output",
          "inputs",
          "outputs",
          "payload",
          "name",
          "display_name",
          "displayname");

  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
  private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+\\S+");

  /** Long runs of key material: hex or base64 of 32 characters and more. */
  private static final Pattern KEY_MATERIAL = Pattern.compile("[A-Za-z0-9+/=_-]{32,}");

  private static final Pattern ASSIGNED_SECRET =
      Pattern.compile("(?i)(password|passwd|secret|token|api[_-]?key)\\s*[=:]\\s*\\S+");

  private Redaction() {}

  /**
   * A redacted copy of {@code doc}; {@code keep} names keys whose values are known not to be PII.
   */
  public static JsonNode redact(JsonNode doc, Set<String> keep) {
    return walk(null, doc, keep);
  }

  private static JsonNode walk(String key, JsonNode node, Set<String> keep) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (key != null && !keep.contains(key)) {
      String k = key.toLowerCase(Locale.ROOT);
      if (SECRET_KEY.matcher(k).matches()) {
        return f.textNode("[redacted: secret]");
      }
      if (FREE_TEXT.contains(k) && (node.isTextual() || node.isContainerNode())) {
        return f.textNode("[free text: " + node.toString().length() + " chars]");
      }
    }
    if (node.isObject()) {
      ObjectNode out = f.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey(), walk(e.getKey(), e.getValue(), keep));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = f.arrayNode();
      node.forEach(n -> out.add(walk(null, n, keep)));
      return out;
    }
    if (node.isTextual() && (key == null || !keep.contains(key))) {
      return f.textNode(scrub(node.asText()));
    }
    return node;
  }

  /** A string with e-mails, tokens, assigned secrets and key material replaced. */
  public static String scrub(String s) {
    String out = JWT.matcher(s).replaceAll("[token]");
    out = BEARER.matcher(out).replaceAll("[token]");
    out = ASSIGNED_SECRET.matcher(out).replaceAll("$1=[redacted]");
    out = EMAIL.matcher(out).replaceAll("[email]");
    out = KEY_MATERIAL.matcher(out).replaceAll("[redacted: key material]");
    return out;
  }
}
