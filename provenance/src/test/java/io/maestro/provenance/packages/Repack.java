package io.maestro.provenance.packages;

import io.maestro.core.archive.DeterministicTar;
import io.maestro.core.json.CanonicalJson;
import io.maestro.provenance.attest.Dsse;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes packages the way a forger would: chosen files beside a kept digest manifest. */
public final class Repack {
  private Repack() {}

  public static byte[] of(WorkflowPackage p, Map<String, byte[]> files) {
    return write(p.digestManifest(), p.signature().map(Dsse.Envelope::toJson), files);
  }

  public static byte[] withSignature(WorkflowPackage p, Dsse.Envelope sig) {
    return write(p.digestManifest(), java.util.Optional.of(sig.toJson()), p.files());
  }

  private static byte[] write(
      byte[] digests,
      java.util.Optional<? extends com.fasterxml.jackson.databind.JsonNode> sig,
      Map<String, byte[]> files) {
    List<DeterministicTar.Entry> entries = new ArrayList<>();
    entries.add(DeterministicTar.Entry.of(WorkflowPackage.DIGESTS, digests));
    sig.ifPresent(
        s ->
            entries.add(
                DeterministicTar.Entry.of(
                    WorkflowPackage.SIGNATURE, CanonicalJson.canonicalize(s))));
    files.forEach((n, b) -> entries.add(DeterministicTar.Entry.of(n, b)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      DeterministicTar.write(entries, out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
