package io.maestro.server.engine;

import io.maestro.core.archive.DeterministicTar;
import io.maestro.core.json.CanonicalJson;
import io.maestro.provenance.packages.WorkflowPackage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Package bytes as a forger writes them: other files beside the original digests and signature. */
final class PackageBytes {
  private PackageBytes() {}

  static byte[] write(WorkflowPackage p, Map<String, byte[]> files) {
    List<DeterministicTar.Entry> entries = new ArrayList<>();
    entries.add(DeterministicTar.Entry.of(WorkflowPackage.DIGESTS, p.digestManifest()));
    p.signature()
        .ifPresent(
            s ->
                entries.add(
                    DeterministicTar.Entry.of(
                        WorkflowPackage.SIGNATURE, CanonicalJson.canonicalize(s.toJson()))));
    files.forEach((n, b) -> entries.add(DeterministicTar.Entry.of(n, b)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      DeterministicTar.write(entries, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
