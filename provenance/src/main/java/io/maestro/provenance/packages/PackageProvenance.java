package io.maestro.provenance.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.provenance.attest.InTotoStatement;
import io.maestro.provenance.internal.Json;
import io.maestro.provenance.release.SlsaProvenance;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The provenance of a workflow package: an in-toto Statement v1 whose one subject is the package's
 * digest manifest ({@value WorkflowPackage#DIGESTS}, by SHA-256) and whose predicate is SLSA
 * Provenance v1 saying who built it ({@code runDetails.builder.id}) from which source ({@code
 * buildDefinition.resolvedDependencies[0]}: a git commit, or the SHA-256 of the packaged tree when
 * the directory was not a clean git checkout). No timestamps: the same build of the same source
 * states the same bytes, so a package stays reproducible.
 */
public final class PackageProvenance {
  public static final String BUILD_TYPE = "https://maestro-conductor.dev/workflow-package@v1";

  private PackageProvenance() {}

  /**
   * Where a package was built from.
   *
   * @param uri the source, e.g. {@code git+https://example.com/acme/flows} or {@code file:approval}
   * @param digest its digest by algorithm ({@code gitCommit} or {@code sha256})
   */
  public record Source(String uri, Map<String, String> digest) {
    public Source {
      Objects.requireNonNull(uri, "uri");
      digest = Map.copyOf(new TreeMap<>(digest));
      if (digest.isEmpty()) {
        throw new IllegalArgumentException("a source has a digest");
      }
    }

    /** A git commit (40 or 64 hex digits). */
    public static Source git(String uri, String commit) {
      if (commit == null || !commit.matches("[0-9a-f]{40}([0-9a-f]{24})?")) {
        throw new IllegalArgumentException("a source commit is a full git object id: " + commit);
      }
      return new Source(uri.startsWith("git+") ? uri : "git+" + uri, Map.of("gitCommit", commit));
    }

    /** A tree that is not a clean git checkout: its digest is the package's digest manifest's. */
    public static Source tree(String uri, WorkflowPackage pkg) {
      return new Source(uri, Map.of("sha256", pkg.digest().substring("sha256:".length())));
    }

    /** {@code algorithm:value} of its first digest, as shown and as the policy sees it. */
    public String digestText() {
      var e = digest.entrySet().iterator().next();
      return e.getKey() + ":" + e.getValue();
    }
  }

  /** What a statement says: who built which package from which source. */
  public record Facts(String builder, String sourceUri, String sourceDigest) {}

  /** The statement for {@code pkg} built by {@code builderId} from {@code source}. */
  public static InTotoStatement statement(WorkflowPackage pkg, String builderId, Source source) {
    ObjectNode p = Json.object();
    ObjectNode def = p.putObject("buildDefinition");
    def.put("buildType", BUILD_TYPE);
    ObjectNode ext = def.putObject("externalParameters");
    ext.put("source", source.uri());
    ext.put("package", pkg.name());
    ext.put("version", pkg.version());
    ObjectNode dep = def.putArray("resolvedDependencies").addObject();
    dep.put("uri", source.uri());
    ObjectNode d = dep.putObject("digest");
    source.digest().forEach(d::put);
    p.putObject("runDetails").putObject("builder").put("id", builderId);
    return InTotoStatement.of(
        List.of(InTotoStatement.Subject.sha256(WorkflowPackage.DIGESTS, pkg.digestManifest())),
        SlsaProvenance.PREDICATE_TYPE,
        p);
  }

  /**
   * The builder and source a statement names.
   *
   * @throws IllegalArgumentException when it is not an SLSA provenance statement of a package
   */
  public static Facts facts(InTotoStatement statement) {
    if (!SlsaProvenance.PREDICATE_TYPE.equals(statement.predicateType())) {
      throw new IllegalArgumentException(
          "the statement's predicate is " + statement.predicateType() + ", not SLSA provenance");
    }
    JsonNode p = Json.parse(statement.predicate());
    String builder = SlsaProvenance.builderId(p);
    JsonNode dep = p.path("buildDefinition").path("resolvedDependencies").path(0);
    var digests = dep.path("digest").properties().iterator();
    if (dep.path("uri").asText("").isEmpty() || !digests.hasNext()) {
      throw new IllegalArgumentException("the statement names no source with a digest");
    }
    var first = digests.next();
    return new Facts(
        builder, dep.path("uri").asText(), first.getKey() + ":" + first.getValue().asText());
  }
}
