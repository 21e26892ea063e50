package io.maestro.provenance;

import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.internal.LogStore;
import io.maestro.provenance.merkle.Proofs;
import io.maestro.provenance.merkle.SubtreeSource;
import io.maestro.store.Tx;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reading the logs: receipts, checkpoints, inclusion and consistency proofs, and exports for
 * offline verification. Every call runs in the caller's transaction and obeys its scope (a
 * tenant-scoped transaction reads only that tenant's log). Thread-safe.
 */
public final class ReceiptLog {
  /** The most receipts one {@link #list} call returns. */
  public static final int MAX_PAGE = 500;

  private final String originPrefix;

  /**
   * @param originPrefix e.g. {@code maestro.local}; log origins are {@code <prefix>/tenant/<id>}
   */
  public ReceiptLog(String originPrefix) {
    this.originPrefix = originPrefix;
  }

  public String origin(LogId log) {
    return Checkpoint.origin(originPrefix, log);
  }

  public Optional<Receipt> find(Tx tx, LogId log, String receiptId) {
    Receipts.checkScope(tx, log);
    return LogStore.findById(tx, log, receiptId);
  }

  public Optional<Receipt> findBySeq(Tx tx, LogId log, long seq) {
    Receipts.checkScope(tx, log);
    return LogStore.findBySeq(tx, log, seq);
  }

  /** A filter and a cursor for {@link #list}. */
  public record Query(
      Optional<ReceiptType> type, Optional<Instant> since, long afterSeq, int limit) {
    public Query {
      if (limit < 1 || limit > MAX_PAGE) {
        throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
      }
      if (afterSeq < 0) {
        throw new IllegalArgumentException("afterSeq must not be negative");
      }
    }

    public static Query all(int limit) {
      return new Query(Optional.empty(), Optional.empty(), 0, limit);
    }
  }

  /** A page of receipts and the cursor for the next one (empty on the last page). */
  public record Page(List<Receipt> receipts, Optional<Long> nextAfterSeq) {
    public Page {
      receipts = List.copyOf(receipts);
    }
  }

  public Page list(Tx tx, LogId log, Query q) {
    Receipts.checkScope(tx, log);
    List<Receipt> rows =
        LogStore.list(
            tx, log, q.type().map(ReceiptType::name), q.since(), q.afterSeq(), q.limit() + 1);
    boolean more = rows.size() > q.limit();
    List<Receipt> page = more ? rows.subList(0, q.limit()) : rows;
    return new Page(page, more ? Optional.of(page.get(page.size() - 1).seq()) : Optional.empty());
  }

  /** The number of receipts in the log (0 for a log never written). */
  public long size(Tx tx, LogId log) {
    Receipts.checkScope(tx, log);
    return LogStore.head(tx, log).map(LogStore.Head::size).orElse(0L);
  }

  /**
   * How many receipts of the log no signed checkpoint covers yet (the checkpoint lag): the
   * receipt-backlog quota is judged on it.
   */
  public long unsignedReceipts(Tx tx, LogId log) {
    long size = size(tx, log);
    long signed = latestCheckpoint(tx, log).map(Checkpoint::size).orElse(0L);
    return Math.max(0, size - signed);
  }

  public Optional<Checkpoint> latestCheckpoint(Tx tx, LogId log) {
    Receipts.checkScope(tx, log);
    return LogStore.latestCheckpoint(tx, log, origin(log));
  }

  public Optional<Checkpoint> checkpointAt(Tx tx, LogId log, long size) {
    Receipts.checkScope(tx, log);
    return LogStore.checkpointAt(tx, log, origin(log), size);
  }

  /** The audit path of receipt {@code seq} in the tree of {@code treeSize} receipts. */
  public InclusionProof inclusionProof(Tx tx, LogId log, long seq, long treeSize) {
    Receipts.checkScope(tx, log);
    requireRange(
        seq >= 1 && seq <= treeSize, "receipt " + seq + " is not in a tree of " + treeSize);
    requireRange(treeSize <= size(tx, log), "the log has fewer than " + treeSize + " receipts");
    return new InclusionProof(
        seq - 1, treeSize, Proofs.inclusion(seq - 1, treeSize, LogStore.subtrees(tx, log)));
  }

  /** The proof that the tree of {@code from} receipts is a prefix of the tree of {@code to}. */
  public ConsistencyProof consistencyProof(Tx tx, LogId log, long from, long to) {
    Receipts.checkScope(tx, log);
    requireRange(from >= 1 && from <= to, "need 1 <= from <= to, got " + from + ", " + to);
    requireRange(to <= size(tx, log), "the log has fewer than " + to + " receipts");
    return new ConsistencyProof(from, to, Proofs.consistency(from, to, LogStore.subtrees(tx, log)));
  }

  /** What an export contained. */
  public record ExportSummary(long from, long to, long treeSize, int checkpoints) {}

  /**
   * Writes receipts {@code from..to} with everything needed to verify them offline (see {@link
   * ExportWriter}). {@code to} is capped at the latest checkpoint: receipts no checkpoint covers
   * yet cannot be proven and are left for a later export.
   *
   * @param to the last seq to export, or 0 for "up to the latest checkpoint"
   */
  public ExportSummary export(Tx tx, LogId log, long from, long to, OutputStream out) {
    Receipts.checkScope(tx, log);
    Checkpoint latest =
        latestCheckpoint(tx, log)
            .orElseThrow(
                () ->
                    MaestroException.of(
                        ProvenanceErrors.NO_CHECKPOINT, "no checkpoint of " + log + " exists yet"));
    long last = to <= 0 || to > latest.size() ? latest.size() : to;
    long first = Math.max(1, from);
    requireRange(first <= last, "nothing to export between " + first + " and " + last);
    String origin = origin(log);
    Checkpoint anchor = LogStore.checkpointCovering(tx, log, origin, last).orElse(latest);
    List<Checkpoint> cps = LogStore.checkpoints(tx, log, origin, first - 1, anchor.size());
    SubtreeSource source = LogStore.subtrees(tx, log);
    try (ExportWriter w = new ExportWriter(out)) {
      w.header(origin, log, first, last, anchor.size());
      Checkpoint prev = null;
      for (Checkpoint c : cps) {
        if (prev != null) {
          w.consistency(
              new ConsistencyProof(
                  prev.size(), c.size(), Proofs.consistency(prev.size(), c.size(), source)));
        }
        w.checkpoint(c);
        prev = c;
      }
      w.prefix(first - 1, compactRange(first - 1, source));
      LogStore.stream(tx, log, first, last, w::receipt);
      w.suffix(last, anchor.size(), suffix(last, anchor.size(), source));
      w.end();
    }
    return new ExportSummary(first, last, anchor.size(), cps.size());
  }

  /** The roots of the perfect subtrees the first {@code size} leaves decompose into. */
  static List<Hash> compactRange(long size, SubtreeSource source) {
    List<Hash> out = new ArrayList<>();
    long pos = 0;
    for (int bit = 63; bit >= 0; bit--) {
      if ((size & (1L << bit)) != 0) {
        out.add(source.perfect(bit, pos >>> bit));
        pos += 1L << bit;
      }
    }
    return out;
  }

  /** The aligned perfect subtrees covering leaves {@code [from, to)}, left to right. */
  static List<ExportWriter.Subtree> suffix(long from, long to, SubtreeSource source) {
    List<ExportWriter.Subtree> out = new ArrayList<>();
    long pos = from;
    while (pos < to) {
      int level = pos == 0 ? 62 : Math.min(62, Long.numberOfTrailingZeros(pos));
      while (level > 0 && pos + (1L << level) > to) {
        level--;
      }
      out.add(new ExportWriter.Subtree(level, source.perfect(level, pos >>> level)));
      pos += 1L << level;
    }
    return out;
  }

  private static void requireRange(boolean ok, String detail) {
    if (!ok) {
      throw MaestroException.of(ProvenanceErrors.BAD_RANGE, detail);
    }
  }
}
