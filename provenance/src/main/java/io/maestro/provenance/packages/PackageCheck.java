package io.maestro.provenance.packages;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.provenance.attest.Dsse;
import io.maestro.provenance.attest.InTotoStatement;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.TrustedKeys;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What checking a workflow package found: its digest, name and version, its signer when a trusted
 * key signed it, the provenance the signed statement gives, and the first check that failed, naming
 * the file. A package passes when nothing failed; whether an unsigned package may be published or
 * installed is the policy's decision, not this check's.
 *
 * @param signer the key id of the trusted key that signed the package
 * @param provenance who built it from which source, as the signed in-toto Statement says (empty
 *     when unsigned or signed in the earlier form, over the digest manifest itself)
 */
public record PackageCheck(
    String digest,
    String name,
    String version,
    List<String> workflows,
    Optional<String> signer,
    Optional<PackageProvenance.Facts> provenance,
    Optional<Failure> failure) {

  public PackageCheck {
    workflows = List.copyOf(workflows);
  }

  /**
   * A failed check.
   *
   * @param check {@code digest} (a file does not match the digest manifest, or is not in it),
   *     {@code provenance} (the packaged statement is not the one signed, or not about this
   *     package) or {@code signature} (the envelope does not verify, is not over this package, or
   *     no trusted key signed it)
   * @param file the file the check failed on
   */
  public record Failure(String check, String file, String message) {}

  public boolean signed() {
    return signer.isPresent();
  }

  /**
   * Checks {@code pkg}: every file against the digest manifest (and no file outside it), then the
   * signature, when there is one, against {@code keys}.
   *
   * @throws WorkflowPackage.FormatException when the digest manifest is not a package's
   */
  public static PackageCheck of(WorkflowPackage pkg, TrustedKeys keys) {
    JsonNode doc = pkg.parsedDigests();
    List<String> workflows = pkg.workflows();
    Optional<Failure> failure = digests(pkg, doc, workflows);
    Optional<String> signer = Optional.empty();
    Optional<PackageProvenance.Facts> facts = Optional.empty();
    if (failure.isEmpty() && pkg.signature().isPresent()) {
      Dsse.Envelope env = pkg.signature().get();
      if (InTotoStatement.PAYLOAD_TYPE.equals(env.payloadType())) {
        Statement st = statement(pkg, env);
        failure = st.failure();
        facts = st.facts();
      } else if (!WorkflowPackage.PAYLOAD_TYPE.equals(env.payloadType())
          || !Arrays.equals(env.payload(), pkg.digestManifest())) {
        failure =
            Optional.of(
                new Failure(
                    "signature",
                    WorkflowPackage.DIGESTS,
                    WorkflowPackage.DIGESTS + " is not the one the signature covers"));
      }
      if (failure.isEmpty()) {
        try {
          PublicKeyInfo k = Dsse.verify(env, keys);
          signer = Optional.of(k.keyId());
        } catch (IllegalArgumentException e) {
          failure =
              Optional.of(new Failure("signature", WorkflowPackage.SIGNATURE, e.getMessage()));
        }
      }
    }
    if (signer.isEmpty()) {
      facts = Optional.empty();
    }
    return new PackageCheck(
        pkg.digest(), pkg.name(), pkg.version(), workflows, signer, facts, failure);
  }

  private record Statement(Optional<PackageProvenance.Facts> facts, Optional<Failure> failure) {}

  /**
   * The signed statement must be about this digest manifest and be the statement the package
   * carries (a package whose statement was swapped after signing is refused, not half-trusted).
   */
  private static Statement statement(WorkflowPackage pkg, Dsse.Envelope env) {
    String file = WorkflowPackage.PROVENANCE;
    if (pkg.provenance().isPresent() && !Arrays.equals(pkg.provenance().get(), env.payload())) {
      return new Statement(
          Optional.empty(),
          Optional.of(
              new Failure(
                  "provenance", file, file + " is not the statement the signature covers")));
    }
    try {
      InTotoStatement st = InTotoStatement.fromEnvelope(env);
      if (!st.covers(pkg.digestManifest())) {
        return new Statement(
            Optional.empty(),
            Optional.of(
                new Failure(
                    "provenance",
                    WorkflowPackage.DIGESTS,
                    "the signed provenance statement is not about this package's "
                        + WorkflowPackage.DIGESTS)));
      }
      return new Statement(Optional.of(PackageProvenance.facts(st)), Optional.empty());
    } catch (IllegalArgumentException e) {
      return new Statement(
          Optional.empty(),
          Optional.of(
              new Failure("provenance", file, "not a package's provenance: " + e.getMessage())));
    }
  }

  private static Optional<Failure> digests(
      WorkflowPackage pkg, JsonNode doc, List<String> workflows) {
    Set<String> listed = new HashSet<>();
    for (JsonNode f : doc.path("files")) {
      String path = f.path("path").asText();
      listed.add(path);
      byte[] bytes = pkg.files().get(path);
      if (bytes == null) {
        return Optional.of(
            new Failure("digest", path, path + " is listed in the package but missing"));
      }
      if (bytes.length != f.path("size").asLong(-1)
          || !WorkflowPackage.hex(bytes).equals(f.path("sha256").asText())) {
        return Optional.of(
            new Failure("digest", path, path + " does not match its digest: it was altered"));
      }
    }
    for (String path : pkg.files().keySet()) {
      if (!listed.contains(path)) {
        return Optional.of(new Failure("digest", path, path + " is not listed in the package"));
      }
    }
    for (String w : workflows) {
      if (!listed.contains(w)) {
        return Optional.of(new Failure("digest", w, "workflow " + w + " is not in the package"));
      }
    }
    return Optional.empty();
  }
}
