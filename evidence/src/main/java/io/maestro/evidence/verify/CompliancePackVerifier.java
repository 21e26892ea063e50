package io.maestro.evidence.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import io.maestro.evidence.compliance.CompliancePackFormat;
import io.maestro.provenance.attest.InTotoStatement;
import io.maestro.provenance.keys.TrustedKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies a Conductor Compliance Pack offline with nothing but the trusted public keys: the DSSE
 * signature over its in-toto Statement and its tag; every file against the statement (a changed,
 * removed or added file fails, named); the index against the files (each section's files present,
 * no file outside a section); and every drill receipt's inclusion under the platform checkpoint.
 */
public final class CompliancePackVerifier {
  private CompliancePackVerifier() {}

  /** Whether {@code files} look like a compliance pack (its index names the pack's format). */
  public static boolean isCompliancePack(BundleFiles files) {
    byte[] index = files.files().get(CompliancePackFormat.INDEX);
    if (index == null || !files.files().containsKey(CompliancePackFormat.STATEMENT)) {
      return false;
    }
    try {
      return CompliancePackFormat.FORMAT.equals(
          Json.MAPPER.readTree(index).path("format").asText());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  public static CompliancePackReport verify(BundleFiles pack, TrustedKeys keys) throws IOException {
    Map<String, byte[]> files = pack.files();
    List<String> failures = new ArrayList<>();
    pack.duplicates().forEach(d -> failures.add(d + ": appears twice in the archive"));
    InTotoStatement statement =
        SignedArchive.statement(
            files.get(CompliancePackFormat.STATEMENT),
            CompliancePackFormat.STATEMENT,
            CompliancePackFormat.PREDICATE_TYPE,
            "pack",
            keys,
            failures);
    if (statement == null) {
      return new CompliancePackReport("", "", "", files.size(), 0, List.of(), failures);
    }
    SignedArchive.checkFiles(statement, files, "pack", failures);
    JsonNode predicate = Json.MAPPER.readTree(statement.predicate());
    byte[] indexBytes = files.get(CompliancePackFormat.INDEX);
    if (indexBytes == null) {
      return new CompliancePackReport(
          predicate.path("tenant").asText(),
          predicate.path("at").asText(),
          predicate.path("tag").asText(),
          files.size(),
          0,
          List.of(),
          failures);
    }
    JsonNode index = Json.MAPPER.readTree(indexBytes);
    for (String f : List.of("tenant", "at", "tag", "format")) {
      if (!predicate.path(f).asText().equals(index.path(f).asText())) {
        failures.add(CompliancePackFormat.INDEX + ": its " + f + " differs from the statement's");
      }
    }
    if (!CompliancePackFormat.TAG.equals(predicate.path("tag").asText())) {
      failures.add(CompliancePackFormat.STATEMENT + ": not tagged " + CompliancePackFormat.TAG);
    }
    List<String> sections = new ArrayList<>();
    Set<String> claimed = new HashSet<>();
    claimed.add(CompliancePackFormat.INDEX);
    claimed.add(CompliancePackFormat.STATEMENT);
    for (JsonNode s : index.path("sections")) {
      String status = s.path("status").asText();
      sections.add(
          s.path("id").asText()
              + ": "
              + status
              + (s.has("reason") ? " (" + s.path("reason").asText() + ")" : ""));
      for (JsonNode f : s.path("files")) {
        claimed.add(f.asText());
        if (!files.containsKey(f.asText())) {
          failures.add(f.asText() + ": named by the index but missing from the pack");
        }
      }
    }
    for (String name : files.keySet()) {
      if (!claimed.contains(name)
          && statement.subjects().stream().anyMatch(x -> x.name().equals(name))) {
        failures.add(name + ": in no section of the index");
      }
    }
    int drills = checkDrills(files, keys, failures);
    return new CompliancePackReport(
        index.path("tenant").asText(),
        index.path("at").asText(),
        index.path("tag").asText(),
        files.size(),
        drills,
        sections,
        failures);
  }

  private static int checkDrills(Map<String, byte[]> files, TrustedKeys keys, List<String> failures)
      throws IOException {
    int verified = 0;
    for (var entry : files.entrySet()) {
      String name = entry.getKey();
      if (!name.startsWith(CompliancePackFormat.DRILLS)) {
        continue;
      }
      byte[] note = files.get(CompliancePackFormat.PLATFORM_CHECKPOINT);
      if (note == null) {
        failures.add(
            CompliancePackFormat.PLATFORM_CHECKPOINT
                + ": missing, so "
                + name
                + " cannot be proven");
        continue;
      }
      JsonNode o = Json.MAPPER.readTree(entry.getValue());
      if (SignedArchive.receipt(name, o, note, keys, failures) != null) {
        verified++;
      }
    }
    return verified;
  }
}
