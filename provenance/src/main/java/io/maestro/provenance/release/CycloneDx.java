package io.maestro.provenance.release;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the release needs from a CycloneDX SBOM (JSON, as {@code cyclonedx-maven-plugin} writes it):
 * that it is one, what it describes, how many components it lists, and each component's package URL
 * with its SHA-256 — the build's resolved dependencies.
 */
public final class CycloneDx {
  /** The predicate type of an SBOM attestation (in-toto attestation spec, CycloneDX). */
  public static final String PREDICATE_TYPE = "https://cyclonedx.org/bom";

  private CycloneDx() {}

  /** The facts of one SBOM. */
  public record Summary(String specVersion, String component, int components) {}

  /**
   * Checks the document's shape.
   *
   * @return why it is not a usable SBOM, or the summary
   */
  public static Summary summarize(JsonNode bom) {
    if (!"CycloneDX".equals(bom.path("bomFormat").asText())) {
      throw new IllegalArgumentException("bomFormat is not CycloneDX");
    }
    String spec = bom.path("specVersion").asText("");
    if (spec.isEmpty()) {
      throw new IllegalArgumentException("no specVersion");
    }
    JsonNode components = bom.path("components");
    if (!components.isArray() || components.isEmpty()) {
      throw new IllegalArgumentException("it lists no components");
    }
    String described = bom.path("metadata").path("component").path("name").asText("");
    if (described.isEmpty()) {
      throw new IllegalArgumentException("metadata.component names nothing");
    }
    return new Summary(spec, described, components.size());
  }

  /**
   * Third-party components with a SHA-256 (package URL → hex), leaving out the components whose
   * package URL starts with {@code ownPrefix}: those are built, not resolved.
   */
  public static Map<String, String> materials(JsonNode bom, String ownPrefix) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode c : bom.path("components")) {
      String purl = c.path("purl").asText("");
      if (purl.isEmpty() || purl.startsWith(ownPrefix)) {
        continue;
      }
      sha256(c).ifPresent(h -> out.put(purl, h));
    }
    return out;
  }

  private static Optional<String> sha256(JsonNode component) {
    for (JsonNode h : component.path("hashes")) {
      if ("SHA-256".equals(h.path("alg").asText())) {
        return Optional.of(h.path("content").asText());
      }
    }
    return Optional.empty();
  }
}
