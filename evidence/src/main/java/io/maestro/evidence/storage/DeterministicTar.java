package io.maestro.evidence.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a .tar.gz whose bytes depend only on the files' names and contents: entries sorted by
 * name, no directory entries, every header with mtime 0, uid/gid 0, empty owner names and mode
 * 0644; long names as POSIX PAX records. The JDK's gzip header carries no name and a zero
 * timestamp.
 */
public final class DeterministicTar {
  static final FileTime EPOCH = FileTime.from(Instant.EPOCH);
  private static final int MODE = 0100644;

  private DeterministicTar() {}

  /** Streams the staged files into {@code out}, in the order given (the caller sorts). */
  public static void write(Staging staging, List<StagedFile> files, OutputStream out)
      throws IOException {
    GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16);
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (StagedFile f : files) {
        TarArchiveEntry e = new TarArchiveEntry(f.path(), true);
        e.setSize(f.size());
        e.setModTime(EPOCH);
        e.setMode(MODE);
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("");
        e.setGroupName("");
        tar.putArchiveEntry(e);
        try (InputStream in = Files.newInputStream(staging.file(f.path()))) {
          in.transferTo(tar);
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }
}
