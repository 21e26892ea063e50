package io.maestro.evidence.verify;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The files of a compliance bundle read from its .tar.gz, by path, and the names that appear more
 * than once (which the verifier reports).
 */
public record BundleFiles(Map<String, byte[]> files, List<String> duplicates) {
  public static BundleFiles read(InputStream tgz) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    List<String> duplicates = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(tgz))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.isFile() && files.put(e.getName(), tar.readAllBytes()) != null) {
          duplicates.add(e.getName());
        }
      }
    }
    return new BundleFiles(files, duplicates);
  }
}
