package io.maestro.provenance.internal;

import io.maestro.provenance.Checkpoint;
import io.maestro.provenance.Hash;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptJson;
import io.maestro.provenance.merkle.CompactRange;
import io.maestro.provenance.merkle.MerkleHash;
import io.maestro.provenance.merkle.SubtreeSource;
import io.maestro.store.StoreException;
import io.maestro.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The SQL of the provenance tables. Stateless; every call runs in the caller's transaction. */
public final class LogStore {
  /** Subtrees of this height and above are stored as nodes; smaller ones are hashed from leaves. */
  public static final int NODE_LEVEL = 8;

  private LogStore() {}

  /** A log's head row. */
  public record Head(long size, Hash headDigest, CompactRange frontier) {}

  /** A completed Merkle node to store. */
  public record Node(int level, long index, Hash hash) {}

  /** Locks the head row of {@code log}, creating it first if the log is new. */
  public static Head lockHead(Tx tx, LogId log, Instant now) {
    Optional<Head> head = selectHeadForUpdate(tx, log);
    if (head.isPresent()) {
      return head.get();
    }
    // Concurrent first appends both get here; ON CONFLICT DO NOTHING makes the loser wait for the
    // winner's row and then lock it like any other append.
    tx.update(
        "INSERT INTO provenance_log (tenant_id, size, head_digest, frontier, updated_at)"
            + " VALUES (?, 0, ?, ?, ?) ON CONFLICT DO NOTHING",
        log.storageKey(),
        Hash.ZERO.bytes(),
        new byte[0],
        now);
    return selectHeadForUpdate(tx, log)
        .orElseThrow(() -> new IllegalStateException("the head row of " + log + " vanished"));
  }

  private static Optional<Head> selectHeadForUpdate(Tx tx, LogId log) {
    return tx.queryOne(
        "SELECT size, head_digest, frontier FROM provenance_log WHERE tenant_id = ? FOR UPDATE",
        rs -> {
          long size = rs.getLong("size");
          return new Head(
              size,
              Hash.of(rs.getBytes("head_digest")),
              CompactRange.deserialize(size, rs.getBytes("frontier")));
        },
        log.storageKey());
  }

  /** The committed head of {@code log}, without locking it. */
  public static Optional<Head> head(Tx tx, LogId log) {
    return tx.queryOne(
        "SELECT size, head_digest, frontier FROM provenance_log WHERE tenant_id = ?",
        rs -> {
          long size = rs.getLong("size");
          return new Head(
              size,
              Hash.of(rs.getBytes("head_digest")),
              CompactRange.deserialize(size, rs.getBytes("frontier")));
        },
        log.storageKey());
  }

  /** How many receipts {@code log} holds (0 for a log not started), without reading its head. */
  public static long size(Tx tx, LogId log) {
    return tx.queryOne(
            "SELECT size FROM provenance_log WHERE tenant_id = ?",
            rs -> rs.getLong(1),
            log.storageKey())
        .orElse(0L);
  }

  public static void updateHead(Tx tx, LogId log, Head head, Instant now) {
    tx.update(
        "UPDATE provenance_log SET size = ?, head_digest = ?, frontier = ?, updated_at = ?"
            + " WHERE tenant_id = ?",
        head.size(),
        head.headDigest().bytes(),
        head.frontier().serialize(),
        now,
        log.storageKey());
  }

  /**
   * Rows per multi-row INSERT: one statement per chunk is far cheaper for PostgreSQL than one per
   * row.
   */
  static final int INSERT_CHUNK = 100;

  private static final String INSERT_RECEIPT =
      "INSERT INTO provenance_receipt (tenant_id, seq, receipt_id, type, occurred_at, digest, body,"
          + " payload) VALUES ";
  private static final String RECEIPT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?)";

  /** Inserts receipts with multi-row INSERTs of up to {@value #INSERT_CHUNK} rows. */
  public static void insertReceipts(Tx tx, List<ReceiptJson.Built> receipts) {
    insertChunked(
        tx,
        receipts,
        INSERT_RECEIPT,
        RECEIPT_ROW,
        (ps, p, built) -> {
          Receipt r = built.receipt();
          ps.setString(p++, r.log().storageKey());
          ps.setLong(p++, r.seq());
          ps.setString(p++, r.id());
          ps.setString(p++, r.type().name());
          ps.setObject(
              p++,
              OffsetDateTime.ofInstant(r.time(), ZoneOffset.UTC),
              Types.TIMESTAMP_WITH_TIMEZONE);
          ps.setBytes(p++, r.digest().bytes());
          ps.setString(p++, built.canonicalBody());
          return setPayload(ps, p, r);
        });
  }

  /**
   * Indexes what each placed receipt is about ({@code provenance_receipt_subject}): its subject's
   * kind, id and root (the id up to its first {@code /}). Called in the transaction that places the
   * receipts.
   */
  public static void insertSubjects(Tx tx, List<ReceiptJson.Built> receipts) {
    insertChunked(
        tx,
        receipts,
        "INSERT INTO provenance_receipt_subject (tenant_id, seq, subject_kind, subject_id,"
            + " subject_root) VALUES ",
        "(?, ?, ?, ?, ?)",
        (ps, p, built) -> {
          Receipt r = built.receipt();
          ps.setString(p++, r.log().storageKey());
          ps.setLong(p++, r.seq());
          ps.setString(p++, r.subject().kind());
          ps.setString(p++, r.subject().id());
          ps.setString(p++, subjectRoot(r.subject().id()));
          return p;
        });
  }

  /** The part of a subject id before its first {@code /} (the run of a step {@code run_…/a}). */
  public static String subjectRoot(String subjectId) {
    int slash = subjectId.indexOf('/');
    return slash < 0 ? subjectId : subjectId.substring(0, slash);
  }

  /** Binds one row's parameters from {@code index}; returns the next index. */
  @FunctionalInterface
  private interface RowBinder {
    int bind(PreparedStatement ps, int index, ReceiptJson.Built row) throws SQLException;
  }

  private static int setPayload(PreparedStatement ps, int p, Receipt r) throws SQLException {
    if (r.payload().isPresent()) {
      ps.setString(p, r.payload().get());
    } else {
      ps.setNull(p, Types.VARCHAR);
    }
    return p + 1;
  }

  private static void insertChunked(
      Tx tx, List<ReceiptJson.Built> rows, String insert, String row, RowBinder binder) {
    for (int from = 0; from < rows.size(); from += INSERT_CHUNK) {
      List<ReceiptJson.Built> chunk =
          rows.subList(from, Math.min(rows.size(), from + INSERT_CHUNK));
      StringBuilder sql = new StringBuilder(insert);
      for (int i = 0; i < chunk.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(row);
      }
      try (PreparedStatement ps = tx.connection().prepareStatement(sql.toString())) {
        int p = 1;
        for (ReceiptJson.Built built : chunk) {
          p = binder.bind(ps, p, built);
        }
        ps.executeUpdate();
      } catch (SQLException e) {
        throw new StoreException("cannot insert receipts: " + e.getMessage(), e);
      }
    }
  }

  // The receipt queue (ADR 0017).

  /** A queued receipt: its queue position and its placeholder form (seq 1, prev zero). */
  public record Queued(long qid, Receipt receipt) {}

  private static final String INSERT_QUEUED =
      "INSERT INTO provenance_receipt_queue (tenant_id, receipt_id, body, payload) VALUES ";

  /** Queues receipts (built with placeholder seq and prev) with multi-row INSERTs. */
  public static void insertQueued(Tx tx, List<ReceiptJson.Built> receipts) {
    insertChunked(
        tx,
        receipts,
        INSERT_QUEUED,
        "(?, ?, ?, ?)",
        (ps, p, built) -> {
          Receipt r = built.receipt();
          ps.setString(p++, r.log().storageKey());
          ps.setString(p++, r.id());
          ps.setString(p++, built.canonicalBody());
          return setPayload(ps, p, r);
        });
  }

  /** Up to {@code limit} queued receipts of {@code log}, in the order they were queued. */
  public static List<Queued> queued(Tx tx, LogId log, int limit) {
    return tx.query(
        "SELECT qid, body, payload FROM provenance_receipt_queue WHERE tenant_id = ?"
            + " ORDER BY qid LIMIT ?",
        rs -> {
          long qid = rs.getLong("qid");
          try {
            return new Queued(qid, parseRow(rs));
          } catch (RuntimeException e) {
            throw new CorruptRow(
                "queued receipt " + qid + " is not a valid receipt: " + e.getMessage(), e);
          }
        },
        log.storageKey(),
        limit);
  }

  /** The most queue rows one dequeue statement names. */
  private static final int DEQUEUE_CHUNK = 500;

  /**
   * Removes sequenced receipts from the queue, naming each one (one statement per {@value
   * #DEQUEUE_CHUNK}): a range would also take a receipt queued earlier whose transaction commits
   * only now, before it was sequenced.
   */
  public static void dequeue(Tx tx, LogId log, List<Queued> done) {
    for (int from = 0; from < done.size(); from += DEQUEUE_CHUNK) {
      List<Queued> chunk = done.subList(from, Math.min(done.size(), from + DEQUEUE_CHUNK));
      Object[] args = new Object[chunk.size() + 1];
      args[0] = log.storageKey();
      for (int i = 0; i < chunk.size(); i++) {
        args[i + 1] = chunk.get(i).qid();
      }
      tx.update(
          "DELETE FROM provenance_receipt_queue WHERE tenant_id = ? AND qid IN ("
              + String.join(",", java.util.Collections.nCopies(chunk.size(), "?"))
              + ")",
          args);
    }
  }

  /**
   * Removes queue rows whose receipt is already in its log, and returns how many. The sequencer
   * places a receipt and removes its queue row in one transaction, but the embedded H2 database can
   * come back from a crash with the placed receipt and its queue row both present: placing the row
   * again would then fail on the log's unique receipt id, forever.
   */
  public static int forgetPlaced(Tx tx) {
    return tx.update(
        "DELETE FROM provenance_receipt_queue q WHERE EXISTS (SELECT 1 FROM provenance_receipt r"
            + " WHERE r.tenant_id = q.tenant_id AND r.receipt_id = q.receipt_id)");
  }

  /** The logs with queued receipts (in a platform-scoped transaction: of every tenant). */
  public static List<LogId> logs(Tx tx) {
    return tx.query(
        "SELECT tenant_id FROM provenance_log ORDER BY tenant_id",
        rs -> LogId.ofStorageKey(rs.getString(1)));
  }

  public static List<LogId> logsWithQueued(Tx tx) {
    return tx.query(
        "SELECT DISTINCT tenant_id FROM provenance_receipt_queue",
        rs -> LogId.ofStorageKey(rs.getString(1)));
  }

  public static void insertNodes(Tx tx, LogId log, List<Node> nodes) {
    if (nodes.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        tx.connection()
            .prepareStatement(
                "INSERT INTO provenance_node (tenant_id, level, idx, hash) VALUES (?, ?, ?, ?)")) {
      for (Node n : nodes) {
        ps.setString(1, log.storageKey());
        ps.setInt(2, n.level());
        ps.setLong(3, n.index());
        ps.setBytes(4, n.hash().bytes());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new StoreException("cannot insert Merkle nodes: " + e.getMessage(), e);
    }
  }

  private static final String RECEIPT_COLUMNS = "seq, digest, body, payload";

  /**
   * A stored receipt row that does not verify: its body is not a valid receipt, its payload does
   * not match {@code payload_digest}, or the receipt does not hash to the digest or sequence number
   * stored beside it (the row was edited underneath the application).
   */
  public static final class CorruptRow extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptRow(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The receipt of a row's {@code body} and {@code payload} columns. */
  private static Receipt parseRow(ResultSet rs) throws SQLException {
    var body = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(rs.getString("body"));
    String payload = rs.getString("payload");
    if (payload != null) {
      body.set("payload", Json.parse(payload));
    }
    return ReceiptJson.parse(body);
  }

  static Receipt mapReceipt(ResultSet rs) throws SQLException {
    long seq = rs.getLong("seq");
    Receipt r;
    try {
      r = parseRow(rs);
    } catch (RuntimeException e) {
      throw new CorruptRow("receipt " + seq + " is not a valid receipt: " + e.getMessage(), e);
    }
    if (r.seq() != seq || !r.digest().equals(Hash.of(rs.getBytes("digest")))) {
      throw new CorruptRow("receipt " + seq + " does not match its stored digest", null);
    }
    return r;
  }

  public static Optional<Receipt> findById(Tx tx, LogId log, String id) {
    return tx.queryOne(
        "SELECT "
            + RECEIPT_COLUMNS
            + " FROM provenance_receipt WHERE tenant_id = ? AND receipt_id = ?",
        LogStore::mapReceipt,
        log.storageKey(),
        id);
  }

  public static Optional<Receipt> findBySeq(Tx tx, LogId log, long seq) {
    return tx.queryOne(
        "SELECT " + RECEIPT_COLUMNS + " FROM provenance_receipt WHERE tenant_id = ? AND seq = ?",
        LogStore::mapReceipt,
        log.storageKey(),
        seq);
  }

  /** Receipts after {@code afterSeq}, optionally of one type and not before {@code since}. */
  public static List<Receipt> list(
      Tx tx, LogId log, Optional<String> type, Optional<Instant> since, long afterSeq, int limit) {
    return list(tx, log, Optional.empty(), type, since, afterSeq, limit);
  }

  /**
   * Receipts after {@code afterSeq}, optionally only those whose subject id has the root {@code
   * subjectRoot} (found through the subject index, not by reading the log), of one type and not
   * before {@code since}.
   */
  public static List<Receipt> list(
      Tx tx,
      LogId log,
      Optional<String> subjectRoot,
      Optional<String> type,
      Optional<Instant> since,
      long afterSeq,
      int limit) {
    return FacetIndex.list(
        tx,
        log,
        new FacetIndex.Filter(subjectRoot, type, since, Optional.empty(), Map.of()),
        afterSeq,
        limit);
  }

  /** Streams receipts {@code from..to} (inclusive) in order. */
  public static void stream(Tx tx, LogId log, long from, long to, Consumer<Receipt> sink) {
    try (PreparedStatement ps =
        tx.connection()
            .prepareStatement(
                "SELECT "
                    + RECEIPT_COLUMNS
                    + " FROM provenance_receipt WHERE tenant_id = ? AND seq >= ? AND seq <= ?"
                    + " ORDER BY tenant_id, seq")) {
      ps.setFetchSize(1000);
      ps.setString(1, log.storageKey());
      ps.setLong(2, from);
      ps.setLong(3, to);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sink.accept(mapReceipt(rs));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read receipts: " + e.getMessage(), e);
    }
  }

  /**
   * Subtree hashes from the tables: a stored node for heights of {@value #NODE_LEVEL} and above,
   * otherwise the leaves (at most 2^{@value #NODE_LEVEL} - 1 digests in one range query).
   */
  public static SubtreeSource subtrees(Tx tx, LogId log) {
    return (level, index) -> {
      if (level >= NODE_LEVEL) {
        return tx.queryOne(
                "SELECT hash FROM provenance_node WHERE tenant_id = ? AND level = ? AND idx = ?",
                rs -> Hash.of(rs.getBytes("hash")),
                log.storageKey(),
                level,
                index)
            .orElseThrow(
                () ->
                    new CorruptRow(
                        "Merkle node " + level + "/" + index + " of " + log + " is missing", null));
      }
      long first = (index << level) + 1; // seq of the subtree's first leaf
      long last = first + (1L << level) - 1;
      List<Hash> leaves =
          tx.query(
              "SELECT digest FROM provenance_receipt WHERE tenant_id = ? AND seq >= ? AND seq <= ?"
                  + " ORDER BY tenant_id, seq",
              rs -> MerkleHash.leaf(Hash.of(rs.getBytes("digest"))),
              log.storageKey(),
              first,
              last);
      if (leaves.size() != (1 << level)) {
        throw new CorruptRow("receipts " + first + ".." + last + " are incomplete", null);
      }
      return fold(leaves, 0, leaves.size());
    };
  }

  private static Hash fold(List<Hash> leaves, int start, int width) {
    if (width == 1) {
      return leaves.get(start);
    }
    int half = width / 2;
    return MerkleHash.node(fold(leaves, start, half), fold(leaves, start + half, half));
  }

  // Checkpoints.

  /** A log with receipts no checkpoint covers yet. */
  public record Pending(LogId log, long size, CompactRange frontier, Optional<Instant> lastTime) {}

  public static List<Pending> pendingLogs(Tx tx) {
    return tx.query(
        // The latest checkpoint of each log is found through the primary key (tenant_id, size),
        // so this stays cheap however many checkpoints a log has accumulated.
        "SELECT l.tenant_id, l.size, l.frontier, c.issued_at AS last_time FROM provenance_log l"
            + " LEFT JOIN provenance_checkpoint c ON c.tenant_id = l.tenant_id AND c.size ="
            + " (SELECT MAX(c2.size) FROM provenance_checkpoint c2 WHERE c2.tenant_id = l.tenant_id)"
            + " WHERE l.size > COALESCE(c.size, 0)",
        rs -> {
          long size = rs.getLong("size");
          return new Pending(
              LogId.ofStorageKey(rs.getString("tenant_id")),
              size,
              CompactRange.deserialize(size, rs.getBytes("frontier")),
              Optional.ofNullable(Tx.instant(rs, "last_time")));
        });
  }

  public static void insertCheckpoint(Tx tx, LogId log, Checkpoint c) {
    tx.update(
        "INSERT INTO provenance_checkpoint (tenant_id, size, root, issued_at, key_id, note)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        log.storageKey(),
        c.size(),
        c.root().bytes(),
        c.time(),
        c.keyId(),
        c.note());
  }

  private static Checkpoint mapCheckpoint(String origin, ResultSet rs) throws SQLException {
    return new Checkpoint(
        origin,
        rs.getLong("size"),
        Hash.of(rs.getBytes("root")),
        Tx.instant(rs, "issued_at"),
        rs.getString("key_id"),
        rs.getString("note"));
  }

  public static Optional<Checkpoint> latestCheckpoint(Tx tx, LogId log, String origin) {
    return tx.queryOne(
        "SELECT size, root, issued_at, key_id, note FROM provenance_checkpoint WHERE tenant_id = ?"
            // The whole (descending) index, so H2 reads one row instead of sorting them all.
            + " ORDER BY tenant_id DESC, size DESC LIMIT 1",
        rs -> mapCheckpoint(origin, rs),
        log.storageKey());
  }

  /**
   * How many receipts of {@code log} no checkpoint covers yet, placed or still queued for the
   * sequencer: read in one statement, so one snapshot (a checkpoint or a placement committing
   * meanwhile counts once).
   */
  public static long unsignedCount(Tx tx, LogId log) {
    String t = log.storageKey();
    return tx.queryOne(
            "SELECT COALESCE((SELECT size FROM provenance_log WHERE tenant_id = ?), 0),"
                // The whole (descending) index, so H2 reads one row instead of sorting them all.
                + " COALESCE((SELECT size FROM provenance_checkpoint WHERE tenant_id = ?"
                + " ORDER BY tenant_id DESC, size DESC LIMIT 1), 0),"
                + " (SELECT count(*) FROM provenance_receipt_queue WHERE tenant_id = ?)",
            rs -> Math.max(0, rs.getLong(1) - rs.getLong(2)) + rs.getLong(3),
            t,
            t,
            t)
        .orElse(0L);
  }

  /** The smallest checkpoint with at least {@code size} leaves. */
  public static Optional<Checkpoint> checkpointCovering(
      Tx tx, LogId log, String origin, long size) {
    return tx.queryOne(
        "SELECT size, root, issued_at, key_id, note FROM provenance_checkpoint WHERE tenant_id = ?"
            + " AND size >= ? ORDER BY tenant_id, size LIMIT 1",
        rs -> mapCheckpoint(origin, rs),
        log.storageKey(),
        size);
  }

  public static Optional<Checkpoint> checkpointAt(Tx tx, LogId log, String origin, long size) {
    return tx.queryOne(
        "SELECT size, root, issued_at, key_id, note FROM provenance_checkpoint WHERE tenant_id = ?"
            + " AND size = ?",
        rs -> mapCheckpoint(origin, rs),
        log.storageKey(),
        size);
  }

  /** Checkpoints with sizes in {@code [from, to]}, smallest first. */
  public static List<Checkpoint> checkpoints(Tx tx, LogId log, String origin, long from, long to) {
    return tx.query(
        "SELECT size, root, issued_at, key_id, note FROM provenance_checkpoint WHERE tenant_id = ?"
            + " AND size >= ? AND size <= ? ORDER BY tenant_id, size",
        rs -> mapCheckpoint(origin, rs),
        log.storageKey(),
        from,
        to);
  }
}
