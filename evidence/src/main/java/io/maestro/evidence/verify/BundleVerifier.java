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
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Verifies a compliance bundle offline with nothing but the trusted public keys: the DSSE signature
 * over its in-toto Statement; every file against the statement's subjects (a changed, removed or
 * added file fails, named); the scope's counts against the files present; and every receipt's
 * inclusion under the checkpoint it names, in the bundle's tenant log (drills: the platform log).
 */
public final class BundleVerifier {
  private BundleVerifier() {}

  /** Whether {@code files} look like a compliance bundle (it has the signed statement). */
  public static boolean isBundle(BundleFiles files) {
    return files.files().containsKey(BundleFormat.STATEMENT);
  }

  public static BundleReport verify(InputStream tgz, TrustedKeys keys) throws IOException {
    return verify(BundleFiles.read(tgz), keys);
  }

  public static BundleReport verify(BundleFiles bundle, TrustedKeys keys) throws IOException {
    Map<String, byte[]> files = bundle.files();
    List<String> failures = new ArrayList<>();
    bundle.duplicates().forEach(d -> failures.add(d + ": appears twice in the archive"));
    InTotoStatement statement = statement(files.get(BundleFormat.STATEMENT), keys, failures);
    if (statement == null) {
      return new BundleReport("", "", "", files.size(), 0, failures);
    }
    checkFiles(statement, files, failures);
    byte[] scopeBytes = files.get(BundleFormat.SCOPE);
    if (scopeBytes == null) {
      return new BundleReport("", "", "", files.size(), 0, failures);
    }
    JsonNode scope = Json.MAPPER.readTree(scopeBytes);
    JsonNode predicate = Json.MAPPER.readTree(statement.predicate());
    for (String f : List.of("tenant", "from", "to")) {
      if (!predicate.path(f).asText().equals(scope.path(f).asText())) {
        failures.add(BundleFormat.SCOPE + ": its " + f + " differs from the signed statement's");
      }
    }
    checkCounts(scope, files, failures);
    int receipts = checkReceipts(scope, files, keys, failures);
    return new BundleReport(
        scope.path("tenant").asText(),
        scope.path("from").asText(),
        scope.path("to").asText(),
        files.size(),
        receipts,
        failures);
  }

  private static InTotoStatement statement(byte[] envelope, TrustedKeys keys, List<String> failures)
      throws IOException {
    if (envelope == null) {
      failures.add(BundleFormat.STATEMENT + ": missing; the bundle is unsigned");
      return null;
    }
    try {
      Dsse.Envelope env = Dsse.Envelope.fromJson(Json.MAPPER.readTree(envelope));
      Dsse.verify(env, keys);
      InTotoStatement s = InTotoStatement.fromEnvelope(env);
      if (!BundleFormat.PREDICATE_TYPE.equals(s.predicateType())) {
        failures.add(BundleFormat.STATEMENT + ": not a compliance bundle statement");
        return null;
      }
      return s;
    } catch (IllegalArgumentException ex) {
      failures.add(BundleFormat.STATEMENT + ": " + ex.getMessage());
      return null;
    }
  }

  /**
   * Every file listed in the signed statement is present with its SHA-256, and nothing else but the
   * statement is: a changed, removed or added file is one failure naming it.
   */
  static void checkFiles(
      InTotoStatement statement, Map<String, byte[]> files, List<String> failures) {
    checkFiles(statement, files, "bundle", failures);
  }

  /** As above, naming the archive {@code holder} ("bundle", "pack") in what is missing. */
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

  private static void checkCounts(
      JsonNode scope, Map<String, byte[]> files, List<String> failures) {
    JsonNode counts = scope.path("counts");
    Map<String, String> prefixes =
        Map.of(
            "receipts", BundleFormat.RECEIPTS,
            "drills", BundleFormat.DRILLS,
            "decisions", BundleFormat.DECISIONS);
    PackVerifier.countFiles(prefixes, counts, files.keySet(), "bundle", failures);
    for (String required :
        List.of(
            BundleFormat.INDEX,
            BundleFormat.ACCESS_LOG,
            BundleFormat.ADMIN_CHANGES,
            BundleFormat.POLICY_BUNDLES,
            BundleFormat.PROFILES)) {
      if (!files.containsKey(required)) {
        failures.add(required + ": missing");
      }
    }
  }

  private static int checkReceipts(
      JsonNode scope, Map<String, byte[]> files, TrustedKeys keys, List<String> failures)
      throws IOException {
    int verified = 0;
    for (var entry : files.entrySet()) {
      String name = entry.getKey();
      boolean drill = name.startsWith(BundleFormat.DRILLS);
      if (!name.startsWith(BundleFormat.RECEIPTS) && !drill) {
        continue;
      }
      JsonNode o = Json.MAPPER.readTree(entry.getValue());
      String cpFile = drill ? BundleFormat.PLATFORM_CHECKPOINT : BundleFormat.TENANT_CHECKPOINT;
      byte[] note = files.get(cpFile);
      if (note == null) {
        failures.add(cpFile + ": missing, so " + name + " cannot be proven");
        continue;
      }
      try {
        var v =
            ReceiptVerifier.verify(
                o.path("receipt"),
                InclusionProof.fromJson(o.path("inclusion_proof")),
                new String(note, StandardCharsets.UTF_8),
                keys);
        JsonNode expected = scope.path("checkpoints").path(drill ? "platform" : "tenant");
        if (v.checkpoint().size() != expected.path("size").asLong()
            || !v.checkpoint().origin().equals(expected.path("origin").asText())) {
          failures.add(cpFile + ": not the checkpoint the scope names");
        }
        String tenant = o.path("receipt").path("tenant").asText(null);
        if (!drill && !scope.path("tenant").asText().equals(tenant)) {
          failures.add(name + ": a receipt of " + tenant + ", not of the bundle's tenant");
        }
        verified++;
      } catch (VerificationFailure f) {
        failures.add(name + ": " + f.describe());
      } catch (IllegalArgumentException ex) {
        failures.add(name + ": " + ex.getMessage());
      }
    }
    return verified;
  }
}
