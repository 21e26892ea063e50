package io.maestro.evidence.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.Json;
import io.maestro.provenance.attest.InTotoStatement;
import io.maestro.provenance.keys.Signer;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A directory where a pack's files are written one by one, each hashed as it is written, so the
 * pack's manifest knows every digest before the archive is assembled and nothing is held in memory.
 * Not thread-safe: one pack is staged by one thread.
 */
public final class Staging implements AutoCloseable {
  /** Pack paths: lower-case segments of letters, digits, '.', '_' and '-'. */
  private static final Pattern PATH =
      Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*");

  private final Path dir;
  private final Map<String, StagedFile> files = new TreeMap<>();

  Staging(Path dir) {
    this.dir = dir;
  }

  /** Opens a new file of the pack; its digest is recorded when the stream is closed. */
  public OutputStream create(String path, String region) {
    if (!PATH.matcher(path).matches() || path.contains("..")) {
      throw new IllegalArgumentException("not a pack path: " + path);
    }
    if (files.containsKey(path)) {
      throw new IllegalStateException("staged twice: " + path);
    }
    try {
      Path target = dir.resolve(path);
      Files.createDirectories(target.getParent());
      MessageDigest sha = sha256();
      OutputStream raw = Files.newOutputStream(target);
      return new FilterOutputStream(new DigestOutputStream(raw, sha)) {
        private long size;
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          size++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          size += len;
        }

        @Override
        public void close() throws IOException {
          if (closed) {
            return;
          }
          closed = true;
          super.close();
          files.put(
              path, new StagedFile(path, size, HexFormat.of().formatHex(sha.digest()), region));
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a whole (small) file. */
  public StagedFile write(String path, String region, byte[] content) {
    try (OutputStream out = create(path, region)) {
      out.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files.get(path);
  }

  /**
   * Writes, at {@code path}, the in-toto statement naming every file staged so far by SHA-256,
   * signed by {@code signer} (the compliance bundle's and the compliance pack's last file).
   */
  public StagedFile writeStatement(
      String path, String predicateType, ObjectNode predicate, Signer signer) {
    List<InTotoStatement.Subject> subjects = new ArrayList<>();
    for (StagedFile f : files()) {
      subjects.add(new InTotoStatement.Subject(f.path(), Map.of("sha256", f.sha256())));
    }
    return write(
        path,
        "",
        json(InTotoStatement.of(subjects, predicateType, predicate).sign(signer).toJson()));
  }

  /** {@code node} as the pretty-printed JSON an evidence archive's files are written in. */
  public static byte[] json(JsonNode node) {
    try {
      return Json.PRETTY.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The files staged so far, sorted by path. */
  public List<StagedFile> files() {
    List<StagedFile> all = new ArrayList<>(files.values());
    all.sort(Comparator.comparing(StagedFile::path));
    return all;
  }

  public Path file(String path) {
    return dir.resolve(path);
  }

  @Override
  public void close() {
    PackStore.deleteTree(dir);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
