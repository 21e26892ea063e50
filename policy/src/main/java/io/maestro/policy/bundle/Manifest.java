package io.maestro.policy.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A bundle's {@code .manifest}: its revision, the roots of {@code data} it owns, the Rego version
 * and free-form metadata. Fields Maestro does not know are kept so that a manifest written by
 * {@code opa build} survives a round trip.
 *
 * @param roots the declared roots without leading or trailing slashes; empty means the manifest
 *     declares none, which OPA reads as the single root {@code ""} (all of {@code data})
 * @param regoVersion 0 or 1 when declared
 */
public record Manifest(
    String revision,
    Optional<List<String>> roots,
    Optional<Integer> regoVersion,
    ObjectNode metadata,
    ObjectNode extra) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public Manifest {
    Objects.requireNonNull(revision, "revision");
    roots = roots.map(r -> List.copyOf(r.stream().map(Manifest::trimSlashes).toList()));
    Objects.requireNonNull(regoVersion, "regoVersion");
    metadata = metadata == null ? JsonNodeFactory.instance.objectNode() : metadata.deepCopy();
    extra = extra == null ? JsonNodeFactory.instance.objectNode() : extra.deepCopy();
  }

  public static Manifest of(String revision, List<String> roots) {
    return new Manifest(revision, Optional.of(roots), Optional.of(1), null, null);
  }

  /** A manifest with nothing declared: OPA's empty manifest, which is not written to a bundle. */
  public static Manifest empty() {
    return new Manifest("", Optional.empty(), Optional.empty(), null, null);
  }

  /** The roots in force: the declared ones, or {@code [""]} when none are declared. */
  public List<String> effectiveRoots() {
    return roots.orElse(List.of(""));
  }

  public boolean isEmpty() {
    return revision.isEmpty()
        && roots.isEmpty()
        && regoVersion.isEmpty()
        && metadata.isEmpty()
        && extra.isEmpty();
  }

  public Manifest withRevision(String newRevision) {
    return new Manifest(newRevision, roots, regoVersion, metadata, extra);
  }

  public Manifest withMetadata(ObjectNode newMetadata) {
    return new Manifest(revision, roots, regoVersion, newMetadata, extra);
  }

  /** Reads a {@code .manifest} file. */
  public static Manifest parse(byte[] content) {
    JsonNode n;
    try {
      n = JSON.readTree(content);
    } catch (IOException e) {
      throw new BundleException(".manifest: not valid JSON");
    }
    if (n == null || !n.isObject()) {
      throw new BundleException(".manifest: must be a JSON object");
    }
    ObjectNode extra = ((ObjectNode) n).deepCopy();
    String revision = text(extra.remove("revision"), "revision");
    JsonNode r = extra.remove("roots");
    Optional<List<String>> roots = Optional.empty();
    if (r != null && !r.isNull()) {
      if (!r.isArray()) {
        throw new BundleException(".manifest: roots must be an array of strings");
      }
      List<String> list = new ArrayList<>();
      for (JsonNode e : r) {
        list.add(text(e, "roots[]"));
      }
      roots = Optional.of(list);
    }
    JsonNode v = extra.remove("rego_version");
    Optional<Integer> regoVersion = Optional.empty();
    if (v != null && !v.isNull()) {
      if (!v.isInt() || (v.intValue() != 0 && v.intValue() != 1)) {
        throw new BundleException(".manifest: rego_version must be 0 or 1");
      }
      regoVersion = Optional.of(v.intValue());
    }
    JsonNode m = extra.remove("metadata");
    if (m != null && !m.isNull() && !m.isObject()) {
      throw new BundleException(".manifest: metadata must be an object");
    }
    return new Manifest(
        revision, roots, regoVersion, m == null || m.isNull() ? null : (ObjectNode) m, extra);
  }

  private static String text(JsonNode n, String field) {
    if (n == null || n.isNull()) {
      return "";
    }
    if (!n.isTextual()) {
      throw new BundleException(".manifest: " + field + " must be a string");
    }
    return n.textValue();
  }

  /** The manifest as JSON, in the field order {@code opa build} writes. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("revision", revision);
    roots.ifPresent(
        list -> {
          ArrayNode a = o.putArray("roots");
          list.forEach(a::add);
        });
    regoVersion.ifPresent(v -> o.put("rego_version", v));
    if (!metadata.isEmpty()) {
      o.set("metadata", metadata.deepCopy());
    }
    extra.properties().forEach(e -> o.set(e.getKey(), e.getValue().deepCopy()));
    return o;
  }

  public byte[] toBytes() {
    try {
      return (JSON.writeValueAsString(toJson()) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String trimSlashes(String root) {
    String s = Objects.requireNonNull(root, "root");
    int b = 0;
    int e = s.length();
    while (b < e && s.charAt(b) == '/') {
      b++;
    }
    while (e > b && s.charAt(e - 1) == '/') {
      e--;
    }
    return s.substring(b, e);
  }
}
