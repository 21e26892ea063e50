package io.maestro.evidence.pack;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The region tags a stored pack carries: its scope's requested region and every file's region in
 * {@code manifest.json}. Streams the archive up to the manifest (entries are sorted, so the log
 * chunks before it are skipped, never held).
 */
public final class PackRegions {
  private PackRegions() {}

  /** The regions named in the pack's manifest, sorted; empty for a pack without a manifest. */
  public static Set<String> read(InputStream tgz) throws IOException {
    Set<String> regions = new TreeSet<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(tgz))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.isFile() && e.getName().equals(PackFormat.MANIFEST)) {
          JsonNode manifest = Json.MAPPER.readTree(tar.readAllBytes());
          add(regions, manifest.path("scope").path("region"));
          for (JsonNode f : manifest.path("files")) {
            add(regions, f.path("region"));
          }
          return regions;
        }
      }
    }
    return regions;
  }

  private static void add(Set<String> regions, JsonNode r) {
    if (r.isTextual() && !r.asText().isEmpty()) {
      regions.add(r.asText());
    }
  }
}
