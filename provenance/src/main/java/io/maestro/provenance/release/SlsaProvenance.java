package io.maestro.provenance.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.provenance.internal.Json;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The SLSA Provenance v1 predicate of a release build: the source (a git commit), the builder, the
 * command, and the resolved dependencies (materials) by package URL and SHA-256. No timestamps, so
 * the same build attests to the same bytes.
 */
public final class SlsaProvenance {
  public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
  public static final String BUILD_TYPE = "https://maestro-conductor.dev/release/maven-package@v1";

  private SlsaProvenance() {}

  /** Where the build's source came from. */
  public record Source(String uri, String commit, boolean dirty) {
    public Source {
      Objects.requireNonNull(uri, "uri");
      if (commit == null || !commit.matches("[0-9a-f]{40}([0-9a-f]{24})?")) {
        throw new IllegalArgumentException("a source commit is a full git object id: " + commit);
      }
    }

    /** The material name of the source: {@code git+<uri>}. */
    public String materialName() {
      return uri.startsWith("git+") ? uri : "git+" + uri;
    }
  }

  public static ObjectNode predicate(
      Source source, String builderId, List<String> command, Map<String, String> dependencies) {
    ObjectNode p = Json.object();
    ObjectNode def = p.putObject("buildDefinition");
    def.put("buildType", BUILD_TYPE);
    ObjectNode ext = def.putObject("externalParameters");
    ext.put("source", source.materialName());
    ArrayNode cmd = ext.putArray("command");
    command.forEach(cmd::add);
    def.putObject("internalParameters").put("dirty", source.dirty());
    ArrayNode deps = def.putArray("resolvedDependencies");
    deps.addObject()
        .put("uri", source.materialName())
        .putObject("digest")
        .put("gitCommit", source.commit());
    dependencies.forEach(
        (purl, sha) -> deps.addObject().put("uri", purl).putObject("digest").put("sha256", sha));
    ObjectNode run = p.putObject("runDetails");
    run.putObject("builder").put("id", builderId);
    return p;
  }

  /**
   * The materials a predicate names (uri → its one digest value, the git commit for the source).
   *
   * @throws IllegalArgumentException when it has no build definition or no git source
   */
  public static Map<String, String> materials(JsonNode predicate) {
    JsonNode deps = predicate.path("buildDefinition").path("resolvedDependencies");
    if (!deps.isArray()) {
      throw new IllegalArgumentException("no buildDefinition.resolvedDependencies");
    }
    Map<String, String> out = new TreeMap<>();
    for (JsonNode d : deps) {
      JsonNode digest = d.path("digest");
      String value =
          digest.has("gitCommit")
              ? digest.get("gitCommit").asText()
              : digest.path("sha256").asText();
      out.put(d.path("uri").asText(), value);
    }
    return out;
  }

  /** The git commit the predicate says the build came from. */
  public static String sourceCommit(JsonNode predicate) {
    for (JsonNode d : predicate.path("buildDefinition").path("resolvedDependencies")) {
      if (d.path("digest").has("gitCommit")) {
        return d.path("digest").get("gitCommit").asText();
      }
    }
    throw new IllegalArgumentException("no resolved dependency carries a gitCommit digest");
  }

  public static String builderId(JsonNode predicate) {
    String id = predicate.path("runDetails").path("builder").path("id").asText("");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("no runDetails.builder.id");
    }
    return id;
  }
}
