package io.maestro.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.provenance.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The latest signed checkpoint of every log, kept outside the database: a small JSON file under the
 * data directory, owner-only (0600), replaced atomically and fsynced after every checkpoint run.
 *
 * <p>It is the server's memory of what it has promised. A database restored from an old backup, a
 * file system that lost acknowledged writes, or a second database pointed at the same data
 * directory would otherwise let the log grow again from an earlier point into a different history
 * under the same key — a split view, which a transparency log must never show. At start-up {@link
 * Provenance#checkNotRolledBack} compares the database against this file and refuses to run when
 * the database is behind it.
 *
 * <p>Thread-safe. Several processes sharing one data directory (several servers on one PostgreSQL
 * database) merge into the file: it keeps, per log, the largest checkpoint any of them recorded.
 */
public final class CheckpointWitness {
  /** The file name under the data directory. */
  public static final String FILE = "checkpoints.json";

  private final Optional<Path> file;
  private final Map<String, Checkpoint> latest = new TreeMap<>();

  private CheckpointWitness(Optional<Path> file) {
    this.file = file;
  }

  /** The witness file {@code <dataDir>/provenance/checkpoints.json}, read if it exists. */
  public static CheckpointWitness inDataDir(Path dataDir) {
    CheckpointWitness w =
        new CheckpointWitness(Optional.of(dataDir.resolve("provenance").resolve(FILE)));
    w.latest.putAll(w.read());
    return w;
  }

  /** A witness that remembers nothing across restarts (tests and tools without a data dir). */
  public static CheckpointWitness inMemory() {
    return new CheckpointWitness(Optional.empty());
  }

  /** The latest recorded checkpoint of {@code log}. */
  public synchronized Optional<Checkpoint> latest(LogId log) {
    return Optional.ofNullable(latest.get(log.storageKey()));
  }

  /** Every recorded log with its latest checkpoint, by storage key. */
  public synchronized Map<String, Checkpoint> all() {
    return Map.copyOf(latest);
  }

  /**
   * Records checkpoints that are committed in the database; returns once the file is on disk.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public synchronized void record(Map<LogId, Checkpoint> signed) {
    if (signed.isEmpty()) {
      return;
    }
    signed.forEach((log, c) -> merge(latest, log.storageKey(), c));
    if (file.isEmpty()) {
      return;
    }
    // Another process on the same data directory may have recorded larger checkpoints meanwhile.
    read().forEach((key, c) -> merge(latest, key, c));
    write(file.get(), Map.copyOf(latest));
  }

  private static void merge(Map<String, Checkpoint> into, String key, Checkpoint c) {
    Checkpoint old = into.get(key);
    if (old == null || old.size() < c.size()) {
      into.put(key, c);
    }
  }

  private Map<String, Checkpoint> read() {
    Map<String, Checkpoint> out = new LinkedHashMap<>();
    Path f = file.orElseThrow();
    if (!Files.exists(f)) {
      return out;
    }
    try {
      JsonNode logs = Json.parse(Files.readString(f)).path("logs");
      for (var it = logs.fields(); it.hasNext(); ) {
        var e = it.next();
        JsonNode c = e.getValue();
        out.put(
            e.getKey(),
            new Checkpoint(
                c.path("origin").asText(),
                c.path("size").asLong(),
                Hash.fromBase64(c.path("root").asText()),
                ReceiptJson.parseTime(c.path("time").asText()),
                c.path("key_id").asText(),
                c.path("note").asText()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checkpoint witness " + f, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "the checkpoint witness " + f + " is unreadable: " + e.getMessage(), e);
    }
  }

  private static void write(Path f, Map<String, Checkpoint> checkpoints) {
    ObjectNode root = Json.object();
    ObjectNode logs = root.putObject("logs");
    for (Map.Entry<String, Checkpoint> e : new TreeMap<>(checkpoints).entrySet()) {
      Checkpoint c = e.getValue();
      ObjectNode o = logs.putObject(e.getKey());
      o.put("origin", c.origin());
      o.put("size", c.size());
      o.put("root", c.root().base64());
      o.put("time", ReceiptJson.formatTime(c.time()));
      o.put("key_id", c.keyId());
      o.put("note", c.note());
    }
    byte[] bytes = Json.writePretty(root).getBytes(StandardCharsets.UTF_8);
    Path dir = f.getParent();
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
      Path tmp = dir.resolve(FILE + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
      }
      // The rename is durable only once the directory itself is synced.
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint witness " + f, e);
    }
  }
}
