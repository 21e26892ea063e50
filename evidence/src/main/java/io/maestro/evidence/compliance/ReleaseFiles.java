package io.maestro.evidence.compliance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The SBOMs and attestations of a release directory ({@code maestro release sign --out DIR}, or the
 * build's {@code cli/target}) that a compliance pack carries: {@code *.cdx.json} and {@code
 * sbom/*.cdx.json}, {@code attestations/*.dsse.json} and {@code layout.dsse.json}. Jars and the
 * image stay out: the signed attestations name them by SHA-256.
 */
final class ReleaseFiles {
  /** One release file and its path in the pack. */
  record Found(String packPath, Path file) {}

  private ReleaseFiles() {}

  static List<Found> collect(Path dir) {
    List<Found> out = new ArrayList<>();
    add(out, dir, "", ".cdx.json");
    add(out, dir, "sbom/", ".cdx.json");
    add(out, dir, "attestations/", ".dsse.json");
    Path layout = dir.resolve("layout.dsse.json");
    if (Files.isRegularFile(layout)) {
      out.add(new Found(CompliancePackFormat.RELEASE + "layout.dsse.json", layout));
    }
    out.sort(Comparator.comparing(Found::packPath));
    return out;
  }

  private static void add(List<Found> out, Path dir, String sub, String suffix) {
    Path d = sub.isEmpty() ? dir : dir.resolve(sub);
    if (!Files.isDirectory(d)) {
      return;
    }
    try (Stream<Path> files = Files.list(d)) {
      files
          .filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().endsWith(suffix))
          // Only names a pack path can hold; anything else in the directory is not a release file.
          .filter(f -> f.getFileName().toString().matches("[A-Za-z0-9_][A-Za-z0-9._-]*"))
          .forEach(
              f ->
                  out.add(
                      new Found(
                          CompliancePackFormat.RELEASE + sub + f.getFileName().toString(), f)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
