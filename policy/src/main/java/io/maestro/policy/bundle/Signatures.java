package io.maestro.policy.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The content of {@code .signatures.json}: {@code {"signatures": ["<compact JWS>"]}}, optionally
 * naming a signing plugin. OPA accepts exactly one token.
 */
public record Signatures(List<String> tokens, Optional<String> plugin) {
  private static final ObjectMapper JSON = Json.MAPPER;

  public Signatures {
    tokens = List.copyOf(tokens);
  }

  public static Signatures of(String token) {
    return new Signatures(List.of(token), Optional.empty());
  }

  public static Signatures parse(byte[] content) {
    JsonNode n;
    try {
      n = JSON.readTree(content);
    } catch (IOException e) {
      throw new BundleVerificationException(
          BundleVerificationException.Failure.SIGNATURE_MALFORMED,
          ".signatures.json: not valid JSON");
    }
    if (n == null || !n.isObject() || !n.path("signatures").isArray()) {
      throw new BundleVerificationException(
          BundleVerificationException.Failure.SIGNATURE_MALFORMED,
          ".signatures.json: expected an object with a \"signatures\" array");
    }
    List<String> tokens = new ArrayList<>();
    for (JsonNode t : n.get("signatures")) {
      if (!t.isTextual()) {
        throw new BundleVerificationException(
            BundleVerificationException.Failure.SIGNATURE_MALFORMED,
            ".signatures.json: signatures must be strings");
      }
      tokens.add(t.textValue());
    }
    JsonNode plugin = n.get("plugin");
    return new Signatures(
        tokens,
        plugin != null && plugin.isTextual() ? Optional.of(plugin.textValue()) : Optional.empty());
  }

  public byte[] toBytes() {
    ObjectNode o = JSON.createObjectNode();
    var a = o.putArray("signatures");
    tokens.forEach(a::add);
    plugin.ifPresent(p -> o.put("plugin", p));
    try {
      return JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsString(o)
          .getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
