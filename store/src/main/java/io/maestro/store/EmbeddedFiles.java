package io.maestro.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * The files of the embedded database, readable by the server's user only.
 *
 * <p>H2 creates its files with the process's umask, typically world-readable ({@code 0644}), and
 * they hold every tenant's data. Before the database opens, the data directory and its {@code db}
 * directory are made {@code 0700} and the files already there {@code 0600}; the main database file
 * is created empty with {@code 0600} so that H2 writes into a private file from the start. Files H2
 * adds later (a trace file) sit in the {@code 0700} directory and are narrowed at the next start.
 */
public final class EmbeddedFiles {
  private static final String DIR_MODE = "rwx------";
  private static final String FILE_MODE = "rw-------";

  private EmbeddedFiles() {}

  /** The path H2 is given for the embedded database ({@code <dataDir>/db/maestro}). */
  static Path databaseBase(Path dataDir) {
    return dataDir.toAbsolutePath().resolve("db").resolve("maestro");
  }

  /**
   * Creates {@code dataDir} and {@code dataDir/db} if needed and restricts them and every file in
   * {@code db} to the owner.
   *
   * @throws UncheckedIOException when the directories cannot be created or their modes set
   */
  public static void prepare(Path dataDir) {
    Path db = dataDir.resolve("db");
    try {
      Files.createDirectories(db);
      Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString(DIR_MODE));
      Files.setPosixFilePermissions(db, PosixFilePermissions.fromString(DIR_MODE));
      Path main = Path.of(databaseBase(dataDir) + ".mv.db");
      if (!Files.exists(main)) {
        // H2 starts a new store in an empty file; this one is private from the first byte.
        Files.createFile(
            main, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(FILE_MODE)));
      }
      try (Stream<Path> files = Files.list(db)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(FILE_MODE));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the data directory " + dataDir, e);
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: its own access control applies.
    }
  }
}
