package io.maestro.evidence.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import io.maestro.evidence.bundle.BundleFormat;
import io.maestro.provenance.Hash;
import io.maestro.provenance.InclusionProof;
import io.maestro.provenance.attest.Dsse;
import io.maestro.provenance.attest.InTotoStatement;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.ReceiptVerifier;
import io.maestro.provenance.verify.VerificationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checks the offline verifiers of signed evidence archives share: the DSSE-signed in-toto
 * statement, the archive's files against the statement's subjects, the files present against the
 * counts the archive states, and a receipt's inclusion proof under a checkpoint. Each records what
 * fails as one line naming the file, in {@code failures}.
 */
final class SignedArchive {
  private SignedArchive() {}

  /**
   * The statement in {@code envelope} (the archive's file {@code file}), signed by one of {@code
   * keys} and of {@code predicateType}; null, with the failure recorded, otherwise.
   *
   * @param holder what the archive is called in messages: "bundle", "pack"
   */
  static InTotoStatement statement(
      byte[] envelope,
      String file,
      String predicateType,
      String holder,
      TrustedKeys keys,
      List<String> failures)
      throws IOException {
    if (envelope == null) {
      failures.add(file + ": missing; the " + holder + " is unsigned");
      return null;
    }
    try {
      Dsse.Envelope env = Dsse.Envelope.fromJson(Json.MAPPER.readTree(envelope));
      Dsse.verify(env, keys);
      InTotoStatement s = InTotoStatement.fromEnvelope(env);
      if (!predicateType.equals(s.predicateType())) {
        failures.add(file + ": not a compliance " + holder + " statement");
        return null;
      }
      return s;
    } catch (IllegalArgumentException ex) {
      failures.add(file + ": " + ex.getMessage());
      return null;
    }
  }

  /**
   * Every file listed in the signed statement is present with its SHA-256, and nothing else but the
   * statement is: a changed, removed or added file is one failure naming it.
   */
  static void checkFiles(
      InTotoStatement statement, Map<String, byte[]> files, String holder, List<String> failures) {
    Map<String, String> listed = new TreeMap<>();
    statement.subjects().forEach(s -> listed.put(s.name(), s.digest().get("sha256")));
    listed.forEach(
        (name, sha) -> {
          byte[] content = files.get(name);
          if (content == null) {
            failures.add(name + ": listed in the signed statement but missing from the " + holder);
          } else if (!Hash.sha256(content).hex().equals(sha)) {
            failures.add(name + ": changed (its SHA-256 differs from the signed statement)");
          }
        });
    for (String name : files.keySet()) {
      // Both the bundle and the compliance pack keep their statement in statement.dsse.json.
      if (!listed.containsKey(name) && !name.equals(BundleFormat.STATEMENT)) {
        failures.add(name + ": added (not in the signed statement)");
      }
    }
  }

  /** Each prefix's files present against the count the scope states for it. */
  static void countFiles(
      Map<String, String> prefixes,
      JsonNode counts,
      Set<String> names,
      String holder,
      List<String> failures) {
    prefixes.forEach(
        (count, prefix) -> {
          long present = names.stream().filter(n -> n.startsWith(prefix)).count();
          if (present != counts.path(count).asLong(-1)) {
            failures.add(
                prefix
                    + ": the scope has "
                    + counts.path(count).asLong(-1)
                    + " "
                    + count
                    + " but the "
                    + holder
                    + " holds "
                    + present);
          }
        });
  }

  /**
   * The receipt in {@code proven} (an archive's file {@code name}: the receipt and its inclusion
   * proof) verified under the checkpoint note {@code note}; null, with the failure recorded, when
   * it does not verify.
   */
  static ReceiptVerifier.Verified receipt(
      String name, JsonNode proven, byte[] note, TrustedKeys keys, List<String> failures) {
    try {
      return ReceiptVerifier.verify(
          proven.path("receipt"),
          InclusionProof.fromJson(proven.path("inclusion_proof")),
          new String(note, StandardCharsets.UTF_8),
          keys);
    } catch (VerificationFailure f) {
      failures.add(name + ": " + f.describe());
    } catch (IllegalArgumentException ex) {
      failures.add(name + ": " + ex.getMessage());
    }
    return null;
  }
}
