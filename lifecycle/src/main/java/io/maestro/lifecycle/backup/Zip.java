package io.maestro.lifecycle.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Extracts H2's backup archive, refusing entries that would land outside the target. */
final class Zip {
  private Zip() {}

  static void extract(Path zip, Path into) throws IOException {
    Path root = into.toAbsolutePath().normalize();
    try (InputStream in = Files.newInputStream(zip);
        ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
        Path target = root.resolve(e.getName()).normalize();
        if (!target.startsWith(root) || e.isDirectory()) {
          continue;
        }
        Files.createDirectories(target.getParent());
        Files.copy(z, target);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
      }
    }
  }
}
