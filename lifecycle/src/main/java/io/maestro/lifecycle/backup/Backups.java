package io.maestro.lifecycle.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.Json;
import io.maestro.core.problem.MaestroException;
import io.maestro.lifecycle.LifecycleErrors;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptLog;
import io.maestro.store.Database;
import io.maestro.store.Dialect;
import io.maestro.store.TenantScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * Consistent backups of the whole database with what a restore must prove: H2's online {@code
 * BACKUP TO} (a consistent copy taken inside the database) or PostgreSQL's {@code pg_dump} (one
 * snapshot transaction), the signing keys, and {@code backup.json} — every log's size, root, latest
 * signed checkpoint and the time of its last receipt, taken in the same snapshot's moment, so a
 * restore can be checked for continuity and its recovery point measured.
 */
public final class Backups {
  public static final String MANIFEST = "backup.json";
  public static final String H2_FILE = "database.zip";
  public static final String PG_FILE = "database.sql";

  private Backups() {}

  /** The connection a PostgreSQL dump or restore needs. */
  public record Postgres(String url, String user, String password, String schema) {}

  /**
   * Backs up {@code db} into {@code out} (created; must be empty), with the keys of {@code
   * dataDir}. {@code pg} is needed for PostgreSQL only.
   */
  public static ObjectNode backup(
      Database db, ReceiptLog log, Path dataDir, Postgres pg, Path out, Clock clock) {
    try {
      Files.createDirectories(out);
      try (Stream<Path> s = Files.list(out)) {
        if (s.findAny().isPresent()) {
          throw failed(out + " is not empty; back up into a new directory");
        }
      }
      ObjectNode manifest = heads(db, log);
      Instant taken = clock.instant();
      if (db.dialect() == Dialect.H2) {
        String target = out.resolve(H2_FILE).toAbsolutePath().toString().replace("'", "''");
        db.useTransaction(TenantScope.platform(), tx -> tx.update("BACKUP TO '" + target + "'"));
      } else {
        PgTools.dump(pg, out.resolve(PG_FILE));
      }
      copyKeys(dataDir.resolve("keys"), out.resolve("keys"));
      manifest.put("format", "maestro.backup/v1");
      manifest.put("dialect", db.dialect().name().toLowerCase(java.util.Locale.ROOT));
      manifest.put("taken_at", taken.toString());
      Files.writeString(out.resolve(MANIFEST), manifest.toPrettyString());
      return manifest;
    } catch (IOException e) {
      throw failed("cannot write the backup to " + out + ": " + e.getMessage());
    }
  }

  /** Every log's head, latest checkpoint and last receipt time, read in one transaction. */
  static ObjectNode heads(Database db, ReceiptLog log) {
    ObjectNode m = Json.MAPPER.createObjectNode();
    ArrayNode logs = m.putArray("logs");
    db.useTransaction(
        TenantScope.platform(),
        tx -> {
          for (LogId id : log.logs(tx)) {
            ReceiptLog.TreeHead head = log.head(tx, id);
            ObjectNode l = logs.addObject();
            l.put("log", id.storageKey());
            l.put("size", head.size());
            l.put("root", head.root().toString());
            log.findBySeq(tx, id, head.size())
                .ifPresent(r -> l.put("last_receipt_at", r.time().toString()));
            log.latestCheckpoint(tx, id)
                .ifPresent(
                    c ->
                        l.putObject("checkpoint")
                            .put("size", c.size())
                            .put("root", c.root().toString())
                            .put("note", c.note()));
          }
        });
    return m;
  }

  /** Restores the backup in {@code dir} into a fresh embedded data directory. */
  public static JsonNode restoreEmbedded(Path dir, Path dataDir) {
    JsonNode manifest = read(dir);
    if (!"h2".equals(manifest.path("dialect").asText())) {
      throw failed("the backup in " + dir + " is of PostgreSQL; restore it with db.url set");
    }
    Path db = dataDir.resolve("db");
    try {
      if (Files.exists(db.resolve("maestro.mv.db"))) {
        throw failed(dataDir + " already holds a database; restore into a new data directory");
      }
      Files.createDirectories(db);
      Zip.extract(dir.resolve(H2_FILE), db);
      copyKeys(dir.resolve("keys"), dataDir.resolve("keys"));
    } catch (IOException e) {
      throw failed("cannot restore into " + dataDir + ": " + e.getMessage());
    }
    return manifest;
  }

  /** Restores a PostgreSQL backup into {@code pg}'s (empty) schema, keys into {@code dataDir}. */
  public static JsonNode restorePostgres(Path dir, Postgres pg, Path dataDir) {
    JsonNode manifest = read(dir);
    if (!"postgresql".equals(manifest.path("dialect").asText())) {
      throw failed("the backup in " + dir + " is of the embedded H2 database");
    }
    PgTools.restore(pg, dir.resolve(PG_FILE));
    try {
      copyKeys(dir.resolve("keys"), dataDir.resolve("keys"));
    } catch (IOException e) {
      throw failed("cannot restore the keys into " + dataDir + ": " + e.getMessage());
    }
    return manifest;
  }

  public static JsonNode read(Path dir) {
    try {
      return Json.MAPPER.readTree(Files.readString(dir.resolve(MANIFEST)));
    } catch (IOException e) {
      throw failed("no readable " + MANIFEST + " in " + dir + ": " + e.getMessage());
    }
  }

  private static void copyKeys(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    Files.createDirectories(to);
    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwx------"));
    List<Path> files;
    try (Stream<Path> s = Files.list(from)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      Path target = to.resolve(f.getFileName());
      Files.copy(f, target);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    }
  }

  static MaestroException failed(String detail) {
    return MaestroException.of(LifecycleErrors.BACKUP_FAILED, detail);
  }
}
