package io.maestro.evidence.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import io.maestro.evidence.pack.PackFormat;
import io.maestro.provenance.attest.Dsse;
import io.maestro.provenance.keys.TrustedKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Verifies a disclosure pack offline with nothing but the trusted public keys: the manifest's DSSE
 * signature; every file against the manifest's SHA-256 and size (a changed, removed or added file
 * fails, named); the counts of the scope against the files present (nothing in scope missing);
 * every receipt's inclusion under the signed checkpoint; and that each withheld place carries its
 * digest. Streams the archive: log chunks are hashed, never held.
 */
public final class PackVerifier {
  private PackVerifier() {}

  private record Seen(String sha256, long size) {}

  public static PackReport verify(InputStream tgz, TrustedKeys keys) throws IOException {
    Map<String, Seen> seen = new TreeMap<>();
    Map<String, byte[]> kept = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(tgz))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (!e.isFile()) {
          continue;
        }
        String name = e.getName();
        boolean keep = !name.startsWith(PackFormat.LOGS);
        ByteArrayOutputStream copy = keep ? new ByteArrayOutputStream() : null;
        MessageDigest sha = sha256();
        long size;
        try (OutputStream sink =
            new DigestOutputStream(keep ? copy : OutputStream.nullOutputStream(), sha)) {
          size = tar.transferTo(sink);
        }
        if (seen.put(name, new Seen(HexFormat.of().formatHex(sha.digest()), size)) != null) {
          failures.add(name + ": appears twice in the archive");
        }
        if (keep) {
          kept.put(name, copy.toByteArray());
        }
      }
    }
    byte[] manifestBytes = kept.get(PackFormat.MANIFEST);
    if (manifestBytes == null) {
      failures.add(PackFormat.MANIFEST + ": missing, so nothing can be checked");
      return new PackReport("", "", false, seen.size(), 0, 0, List.of(), failures);
    }
    checkSignature(kept.get(PackFormat.SIGNATURE), manifestBytes, keys, failures);
    JsonNode manifest = Json.MAPPER.readTree(manifestBytes);
    JsonNode scope = manifest.path("scope");
    if (!PackFormat.FORMAT.equals(manifest.path("format").asText())) {
      failures.add(PackFormat.MANIFEST + ": not a " + PackFormat.FORMAT + " manifest");
    }
    checkFiles(manifest, seen, failures);
    checkCounts(scope, seen, failures);
    int receipts = checkReceipts(scope, kept, keys, failures);
    List<String> withheld = checkWithheld(scope, kept, failures);
    return new PackReport(
        scope.path("run").asText(),
        scope.path("region").isNull() ? "" : scope.path("region").asText(),
        scope.path("empty").asBoolean(),
        seen.size(),
        receipts,
        scope.path("checkpoint").path("size").asLong(0),
        withheld,
        failures);
  }

  private static void checkSignature(
      byte[] envelope, byte[] manifest, TrustedKeys keys, List<String> failures) {
    if (envelope == null) {
      failures.add(PackFormat.SIGNATURE + ": missing; the manifest is unsigned");
      return;
    }
    try {
      Dsse.Envelope env = Dsse.Envelope.fromJson(Json.MAPPER.readTree(envelope));
      Dsse.verify(env, keys);
      if (!PackFormat.PAYLOAD_TYPE.equals(env.payloadType())
          || !Arrays.equals(env.payload(), manifest)) {
        failures.add(PackFormat.MANIFEST + ": differs from the manifest the signature covers");
      }
    } catch (IOException | IllegalArgumentException ex) {
      failures.add(PackFormat.SIGNATURE + ": " + ex.getMessage());
    }
  }

  private static void checkFiles(JsonNode manifest, Map<String, Seen> seen, List<String> failures) {
    Map<String, JsonNode> listed = new TreeMap<>();
    manifest.path("files").forEach(f -> listed.put(f.path("path").asText(), f));
    for (var entry : listed.entrySet()) {
      Seen s = seen.get(entry.getKey());
      JsonNode f = entry.getValue();
      if (s == null) {
        failures.add(entry.getKey() + ": listed in the manifest but missing from the pack");
      } else if (!s.sha256().equals(f.path("sha256").asText())
          || s.size() != f.path("size").asLong()) {
        failures.add(entry.getKey() + ": changed (its SHA-256 or size differs from the manifest)");
      }
    }
    for (String name : seen.keySet()) {
      if (!listed.containsKey(name)
          && !name.equals(PackFormat.MANIFEST)
          && !name.equals(PackFormat.SIGNATURE)) {
        failures.add(name + ": added (not in the manifest)");
      }
    }
  }

  private static void checkCounts(JsonNode scope, Map<String, Seen> seen, List<String> failures) {
    JsonNode counts = scope.path("counts");
    Map<String, String> prefixes =
        Map.of(
            "receipts", PackFormat.RECEIPTS,
            "steps", PackFormat.STEPS,
            "decisions", PackFormat.DECISIONS,
            "log_chunks", PackFormat.LOGS);
    SignedArchive.countFiles(prefixes, counts, seen.keySet(), "pack", failures);
    if (!scope.path("empty").asBoolean()) {
      for (String required : List.of(PackFormat.RUN, PackFormat.WORKFLOW_MANIFEST)) {
        if (!seen.containsKey(required)) {
          failures.add(required + ": missing, but the scope includes the run");
        }
      }
      if (counts.path("receipts").asLong() > 0 && !seen.containsKey(PackFormat.CHECKPOINT)) {
        failures.add(PackFormat.CHECKPOINT + ": missing, so no receipt can be proven");
      }
    }
  }

  private static int checkReceipts(
      JsonNode scope, Map<String, byte[]> kept, TrustedKeys keys, List<String> failures)
      throws IOException {
    byte[] note = kept.get(PackFormat.CHECKPOINT);
    int verified = 0;
    for (var entry : kept.entrySet()) {
      if (!entry.getKey().startsWith(PackFormat.RECEIPTS) || note == null) {
        continue;
      }
      JsonNode o = Json.MAPPER.readTree(entry.getValue());
      var v = SignedArchive.receipt(entry.getKey(), o, note, keys, failures);
      if (v == null) {
        continue;
      }
      if (v.checkpoint().size() != scope.path("checkpoint").path("size").asLong()) {
        failures.add(PackFormat.CHECKPOINT + ": not the checkpoint the manifest names");
      }
      String subject = v.receipt().subject().id();
      String run = scope.path("run").asText();
      if (!subject.equals(run) && !subject.startsWith(run + "/")) {
        failures.add(entry.getKey() + ": a receipt about " + subject + ", not about run " + run);
      }
      verified++;
    }
    return verified;
  }

  private static List<String> checkWithheld(
      JsonNode scope, Map<String, byte[]> kept, List<String> failures) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode w : scope.path("withheld")) {
      String path = w.path("path").asText();
      List<String> places = new ArrayList<>();
      for (JsonNode m : w.path("matches")) {
        String file = m.path("file").asText();
        String pointer = m.path("pointer").asText();
        places.add(file + "#" + pointer);
        byte[] content = kept.get(file);
        if (content == null) {
          failures.add(file + ": holds withheld " + path + " but is missing");
          continue;
        }
        JsonNode doc = Json.MAPPER.readTree(content);
        if (!WithheldPlace.marked(doc, pointer)) {
          failures.add(file + ": no digest marks the withheld member " + pointer);
        }
      }
      out.add(path + " -> " + (places.isEmpty() ? "(nothing in this region)" : places));
    }
    return out;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
