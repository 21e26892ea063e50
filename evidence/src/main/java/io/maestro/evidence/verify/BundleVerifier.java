package io.maestro.evidence.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import io.maestro.evidence.bundle.BundleFormat;
import io.maestro.provenance.attest.InTotoStatement;
import io.maestro.provenance.keys.TrustedKeys;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    InTotoStatement statement =
        SignedArchive.statement(
            files.get(BundleFormat.STATEMENT),
            BundleFormat.STATEMENT,
            BundleFormat.PREDICATE_TYPE,
            "bundle",
            keys,
            failures);
    if (statement == null) {
      return new BundleReport("", "", "", files.size(), 0, failures);
    }
    SignedArchive.checkFiles(statement, files, "bundle", failures);
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

  private static void checkCounts(
      JsonNode scope, Map<String, byte[]> files, List<String> failures) {
    JsonNode counts = scope.path("counts");
    Map<String, String> prefixes =
        Map.of(
            "receipts", BundleFormat.RECEIPTS,
            "drills", BundleFormat.DRILLS,
            "decisions", BundleFormat.DECISIONS);
    SignedArchive.countFiles(prefixes, counts, files.keySet(), "bundle", failures);
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
      var v = SignedArchive.receipt(name, o, note, keys, failures);
      if (v == null) {
        continue;
      }
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
    }
    return verified;
  }
}
