package io.maestro.policy.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Reads and writes bundles as OPA does: a gzipped tarball or a directory tree. Archives are written
 * deterministically (entries sorted by path, every timestamp zero, owner root, mode 0644, no gzip
 * file name), so building the same files twice gives the same bytes.
 */
public final class BundleIO {
  /** The default cap on one file and on the whole bundle, against gzip bombs. */
  public static final long DEFAULT_SIZE_LIMIT = 256L * 1024 * 1024;

  private BundleIO() {}

  /** Reads a bundle from a {@code .tar.gz} file or a directory. */
  public static Bundle read(Path path) {
    return read(path, List.of());
  }

  /**
   * Reads a bundle, skipping files whose path (relative, slash-separated) matches one of the {@code
   * ignore} globs, as {@code opa build --ignore} does. Hidden directories are skipped.
   */
  public static Bundle read(Path path, List<String> ignore) {
    if (Files.isDirectory(path)) {
      return readDirectory(path, ignore);
    }
    if (!Files.isRegularFile(path)) {
      throw new BundleException(path + ": no such file or directory");
    }
    try (InputStream in = Files.newInputStream(path)) {
      return readTarGz(path.getFileName().toString(), in, DEFAULT_SIZE_LIMIT);
    } catch (IOException e) {
      throw new BundleException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  public static Bundle readTarGz(String name, InputStream in, long sizeLimit) {
    Map<String, byte[]> files = new TreeMap<>();
    byte[] signatures = null;
    long total = 0;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (!e.isFile()) {
          continue;
        }
        byte[] content = readLimited(tar, sizeLimit - total, name + ":" + e.getName());
        total += content.length;
        String p = normalize(e.getName());
        if (p.equals(Bundle.SIGNATURES)) {
          signatures = content;
        } else if (files.put(p, content) != null) {
          throw new BundleException(name + ": duplicate entry '" + p + "'");
        }
      }
    } catch (IOException e) {
      throw new BundleException(name + ": not a gzipped tar archive: " + e.getMessage(), e);
    }
    return new Bundle(
        name,
        files,
        signatures == null ? Optional.empty() : Optional.of(Signatures.parse(signatures)));
  }

  private static Bundle readDirectory(Path dir, List<String> ignore) {
    List<PathMatcher> matchers =
        ignore.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
    Map<String, byte[]> files = new TreeMap<>();
    byte[] signatures = null;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        Path rel = dir.relativize(f);
        String p = rel.toString().replace('\\', '/');
        if (isIgnored(rel, matchers) || inHiddenDirectory(p)) {
          continue;
        }
        byte[] content = Files.readAllBytes(f);
        if (p.equals(Bundle.SIGNATURES)) {
          signatures = content;
        } else {
          files.put(p, content);
        }
      }
    } catch (IOException e) {
      throw new BundleException(dir + ": cannot read: " + e.getMessage(), e);
    }
    return new Bundle(
        dir.getFileName() == null ? dir.toString() : dir.getFileName().toString(),
        files,
        signatures == null ? Optional.empty() : Optional.of(Signatures.parse(signatures)));
  }

  private static boolean isIgnored(Path rel, List<PathMatcher> matchers) {
    for (PathMatcher m : matchers) {
      if (m.matches(rel) || m.matches(rel.getFileName())) {
        return true;
      }
    }
    return false;
  }

  private static boolean inHiddenDirectory(String p) {
    String[] segs = p.split("/");
    for (int i = 0; i < segs.length - 1; i++) {
      if (segs[i].startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String normalize(String entryName) {
    String p = entryName;
    while (p.startsWith("/") || p.startsWith("./")) {
      p = p.startsWith("/") ? p.substring(1) : p.substring(2);
    }
    return p;
  }

  private static byte[] readLimited(InputStream in, long limit, String what) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    long n = 0;
    for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
      n += r;
      if (n > limit) {
        throw new BundleException(what + ": bundle exceeds the size limit");
      }
      out.write(buf, 0, r);
    }
    return out.toByteArray();
  }

  /** Writes {@code bundle} as a deterministic gzipped tarball. */
  public static void writeTarGz(Bundle bundle, OutputStream out) {
    try {
      GZIPOutputStream gz = new GZIPOutputStream(out);
      TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, "UTF-8");
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Map.Entry<String, byte[]> e : entries(bundle).entrySet()) {
        // OPA's own archives name entries with a leading slash; keep that for fidelity.
        TarArchiveEntry entry = new TarArchiveEntry("/" + e.getKey(), true);
        entry.setSize(e.getValue().length);
        entry.setMode(0100644);
        entry.setModTime(0L);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
      tar.finish();
      gz.finish();
      out.flush();
    } catch (IOException e) {
      throw new BundleException(bundle.name() + ": cannot write archive: " + e.getMessage(), e);
    }
  }

  public static byte[] toTarGz(Bundle bundle) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeTarGz(bundle, out);
    return out.toByteArray();
  }

  /** Writes {@code bundle} to {@code file} (a {@code .tar.gz}) atomically. */
  public static void writeTarGz(Bundle bundle, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, ".bundle", ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        writeTarGz(bundle, out);
      }
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new BundleException(file + ": cannot write: " + e.getMessage(), e);
    }
  }

  /** Writes {@code bundle} as a directory tree under {@code dir}. */
  public static void writeDirectory(Bundle bundle, Path dir) {
    try {
      for (Map.Entry<String, byte[]> e : entries(bundle).entrySet()) {
        Path f = dir.resolve(e.getKey());
        Files.createDirectories(f.getParent());
        Files.write(f, e.getValue());
      }
    } catch (IOException e) {
      throw new BundleException(dir + ": cannot write: " + e.getMessage(), e);
    }
  }

  private static Map<String, byte[]> entries(Bundle bundle) {
    Map<String, byte[]> all = new TreeMap<>();
    for (String p : bundle.paths()) {
      all.put(p, bundle.file(p).orElseThrow());
    }
    bundle.signatures().ifPresent(s -> all.put(Bundle.SIGNATURES, s.toBytes()));
    return all;
  }
}
