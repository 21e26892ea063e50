package io.maestro.provenance;

import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.internal.FacetIndex;
import io.maestro.provenance.internal.LogStore;
import io.maestro.provenance.merkle.CompactRange;
import io.maestro.provenance.merkle.Proofs;
import io.maestro.provenance.merkle.SubtreeSource;
import io.maestro.store.Tx;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reading the logs: receipts, checkpoints, inclusion and consistency proofs, and exports for
 * offline verification. Every call runs in the caller's transaction and obeys its scope (a
 * tenant-scoped transaction reads only that tenant's log). Thread-safe.
 */
public final class ReceiptLog {
  /** The most receipts one {@link #list} call returns. */
  public static final int MAX_PAGE = 500;

  private final String originPrefix;
  private final LogIntegrity integrity;

  /**
   * A reader whose integrity violations are logged and counted but not recorded as receipts.
   *
   * @param originPrefix e.g. {@code maestro.local}; log origins are {@code <prefix>/tenant/<id>}
   */
  public ReceiptLog(String originPrefix) {
    this(originPrefix, LogIntegrity.unrecorded());
  }

  /**
   * @param originPrefix e.g. {@code maestro.local}; log origins are {@code <prefix>/tenant/<id>}
   * @param integrity where a row that does not verify is reported
   */
  public ReceiptLog(String originPrefix, LogIntegrity integrity) {
    this.originPrefix = originPrefix;
    this.integrity = integrity;
  }

  /** Where this reader reports rows that do not verify. */
  public LogIntegrity integrity() {
    return integrity;
  }

  public String origin(LogId log) {
    return Checkpoint.origin(originPrefix, log);
  }

  public Optional<Receipt> find(Tx tx, LogId log, String receiptId) {
    Receipts.checkScope(tx, log);
    return verified(log, () -> LogStore.findById(tx, log, receiptId));
  }

  public Optional<Receipt> findBySeq(Tx tx, LogId log, long seq) {
    Receipts.checkScope(tx, log);
    return verified(log, () -> LogStore.findBySeq(tx, log, seq));
  }

  /** Runs a read; a stored row that does not verify becomes an integrity violation. */
  private <T> T verified(LogId log, Supplier<T> read) {
    try {
      return read.get();
    } catch (LogStore.CorruptRow e) {
      throw integrity.violation(log, e.getMessage());
    }
  }

  /**
   * A filter and a cursor for {@link #list}.
   *
   * @param run only the receipts about this run and its steps (subject {@code run <id>} or {@code
   *     step <id>/…}), found through the subject index
   * @param digest only the receipt with this digest
   * @param actor only the receipts whose actor has this subject
   * @param denyReason only the receipts of a refusing decision with this reason code
   */
  public record Query(
      Optional<String> run,
      Optional<ReceiptType> type,
      Optional<Instant> since,
      Optional<Hash> digest,
      Optional<String> actor,
      Optional<String> denyReason,
      long afterSeq,
      int limit) {
    public Query {
      Objects.requireNonNull(run, "run");
      Objects.requireNonNull(digest, "digest");
      Objects.requireNonNull(actor, "actor");
      Objects.requireNonNull(denyReason, "denyReason");
      if (actor.isPresent()
          && (actor.get().isBlank() || actor.get().length() > FacetIndex.FACET_MAX)) {
        throw new IllegalArgumentException(
            "an actor has 1-" + FacetIndex.FACET_MAX + " characters");
      }
      if (denyReason.isPresent() && !denyReason.get().matches("[a-z0-9_.-]{1,200}")) {
        throw new IllegalArgumentException(
            "a deny reason is a reason code: 1-200 of a-z, 0-9, '_', '.', '-'");
      }
      if (run.isPresent() && (run.get().isBlank() || run.get().contains("/"))) {
        throw new IllegalArgumentException("a run id is not blank and has no '/'");
      }
      if (limit < 1 || limit > MAX_PAGE) {
        throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
      }
      if (afterSeq < 0) {
        throw new IllegalArgumentException("afterSeq must not be negative");
      }
    }

    /** A filter by run, type and time. */
    public Query(
        Optional<String> run,
        Optional<ReceiptType> type,
        Optional<Instant> since,
        long afterSeq,
        int limit) {
      this(run, type, since, Optional.empty(), Optional.empty(), Optional.empty(), afterSeq, limit);
    }

    /** Whether the query filters at all (a page of the whole log is checked for gaps). */
    boolean unfiltered() {
      return run.isEmpty()
          && type.isEmpty()
          && since.isEmpty()
          && digest.isEmpty()
          && actor.isEmpty()
          && denyReason.isEmpty();
    }

    /** A query over the whole log. */
    public Query(Optional<ReceiptType> type, Optional<Instant> since, long afterSeq, int limit) {
      this(Optional.empty(), type, since, afterSeq, limit);
    }

    public static Query all(int limit) {
      return new Query(Optional.empty(), Optional.empty(), 0, limit);
    }

    /** The receipts about run {@code runId} and its steps, in log order. */
    public static Query ofRun(String runId, long afterSeq, int limit) {
      return new Query(Optional.of(runId), Optional.empty(), Optional.empty(), afterSeq, limit);
    }
  }

  private static Map<FacetIndex.Facet, String> facets(Query q) {
    Map<FacetIndex.Facet, String> out = new EnumMap<>(FacetIndex.Facet.class);
    q.actor().ifPresent(a -> out.put(FacetIndex.Facet.ACTOR, a));
    q.denyReason().ifPresent(c -> out.put(FacetIndex.Facet.REASON, c));
    return out;
  }

  /** Whether {@code r} is about run {@code runId} itself or one of its steps. */
  public static boolean aboutRun(Receipt r, String runId) {
    String kind = r.subject().kind();
    String id = r.subject().id();
    return (kind.equals("run") && id.equals(runId))
        || (kind.equals("step") && id.startsWith(runId + "/"));
  }

  /** A page of receipts and the cursor for the next one (empty on the last page). */
  public record Page(List<Receipt> receipts, Optional<Long> nextAfterSeq) {
    public Page {
      receipts = List.copyOf(receipts);
    }
  }

  public Page list(Tx tx, LogId log, Query q) {
    Receipts.checkScope(tx, log);
    boolean unfiltered = q.unfiltered();
    // The head is read first: receipts appended meanwhile can only make the page longer.
    long headBefore = unfiltered ? size(tx, log) : 0;
    List<Receipt> rows =
        verified(
            log,
            () ->
                FacetIndex.list(
                    tx,
                    log,
                    new FacetIndex.Filter(
                        q.run(),
                        q.type().map(ReceiptType::name),
                        q.since(),
                        q.digest().map(Hash::bytes),
                        facets(q)),
                    q.afterSeq(),
                    q.limit() + 1));
    boolean more = rows.size() > q.limit();
    List<Receipt> page = more ? rows.subList(0, q.limit()) : rows;
    if (q.run().isPresent()) {
      // The index is keyed by the subject id's root; another kind of subject may share it. The
      // cursor stays the last row read, so a page may hold fewer than the limit.
      List<Receipt> about = page.stream().filter(r -> aboutRun(r, q.run().get())).toList();
      return new Page(
          about, more ? Optional.of(page.get(page.size() - 1).seq()) : Optional.empty());
    }
    if (unfiltered) {
      checkContiguous(log, q.afterSeq(), page, more, headBefore);
    }
    return new Page(page, more ? Optional.of(page.get(page.size() - 1).seq()) : Optional.empty());
  }

  /**
   * An unfiltered page must be the gapless, chained run of receipts after {@code afterSeq}; the
   * last page must end at the log's head. A deleted or reordered row breaks one of these.
   */
  private void checkContiguous(
      LogId log, long afterSeq, List<Receipt> page, boolean more, long headBefore) {
    long expected = afterSeq + 1;
    Receipt prev = null;
    for (Receipt r : page) {
      if (r.seq() != expected) {
        throw integrity.violation(log, "receipt " + expected + " is missing");
      }
      if (prev != null && !r.prev().equals(prev.digest())) {
        throw integrity.violation(
            log, "receipt " + r.seq() + " does not chain to receipt " + prev.seq());
      }
      prev = r;
      expected++;
    }
    if (!more && expected - 1 < headBefore) {
      throw integrity.violation(log, "receipt " + expected + " is missing");
    }
  }

  /** Every log that has receipts (each tenant's and the platform's); needs the platform scope. */
  public List<LogId> logs(Tx tx) {
    return LogStore.logs(tx);
  }

  /** The size and Merkle root of a log as committed (signed or not). */
  public record TreeHead(long size, Hash root) {}

  /** The log's current tree head: its size and RFC 9162 root ({@code size} 0 for an empty log). */
  public TreeHead head(Tx tx, LogId log) {
    Receipts.checkScope(tx, log);
    return LogStore.head(tx, log)
        .map(h -> new TreeHead(h.size(), h.frontier().root()))
        .orElse(new TreeHead(0, io.maestro.provenance.merkle.MerkleHash.EMPTY_ROOT));
  }

  /** The number of receipts in the log (0 for a log never written). */
  public long size(Tx tx, LogId log) {
    Receipts.checkScope(tx, log);
    return LogStore.size(tx, log);
  }

  /**
   * How many receipts of the log no signed checkpoint covers yet (the checkpoint lag), counting
   * those still queued for the sequencer: the receipt-backlog quota is judged on it.
   */
  public long unsignedReceipts(Tx tx, LogId log) {
    Receipts.checkScope(tx, log);
    return LogStore.unsignedCount(tx, log);
  }

  public Optional<Checkpoint> latestCheckpoint(Tx tx, LogId log) {
    Receipts.checkScope(tx, log);
    return LogStore.latestCheckpoint(tx, log, origin(log));
  }

  public Optional<Checkpoint> checkpointAt(Tx tx, LogId log, long size) {
    Receipts.checkScope(tx, log);
    return LogStore.checkpointAt(tx, log, origin(log), size);
  }

  /**
   * The smallest signed checkpoint with at least {@code size} receipts: the first one that covers
   * receipt {@code size}, and the same one however much the log grows afterwards.
   */
  public Optional<Checkpoint> checkpointCovering(Tx tx, LogId log, long size) {
    Receipts.checkScope(tx, log);
    return LogStore.checkpointCovering(tx, log, origin(log), size);
  }

  /** The audit path of receipt {@code seq} in the tree of {@code treeSize} receipts. */
  public InclusionProof inclusionProof(Tx tx, LogId log, long seq, long treeSize) {
    Receipts.checkScope(tx, log);
    requireRange(
        seq >= 1 && seq <= treeSize, "receipt " + seq + " is not in a tree of " + treeSize);
    requireRange(treeSize <= size(tx, log), "the log has fewer than " + treeSize + " receipts");
    return new InclusionProof(
        seq - 1,
        treeSize,
        verified(log, () -> Proofs.inclusion(seq - 1, treeSize, LogStore.subtrees(tx, log))));
  }

  /**
   * The audit paths of several receipts in one tree, as {@link #inclusionProof} gives each: one
   * read of the log's size, and each subtree hash read (or folded from its leaves) once however
   * many of the paths share it — the receipts of one run sit close together in the log, so their
   * paths share most of their hashes.
   */
  public List<InclusionProof> inclusionProofs(Tx tx, LogId log, List<Long> seqs, long treeSize) {
    Receipts.checkScope(tx, log);
    requireRange(treeSize <= size(tx, log), "the log has fewer than " + treeSize + " receipts");
    SubtreeSource stored = LogStore.subtrees(tx, log);
    java.util.Map<Long, Hash> seen = new java.util.HashMap<>();
    // A perfect subtree is named by its level and index; levels stay below 64, so one long keys it.
    SubtreeSource once =
        (level, index) -> {
          long key = (index << 6) | level;
          Hash h = seen.get(key);
          if (h == null) {
            h = stored.perfect(level, index);
            seen.put(key, h);
          }
          return h;
        };
    List<InclusionProof> out = new ArrayList<>(seqs.size());
    for (long seq : seqs) {
      requireRange(
          seq >= 1 && seq <= treeSize, "receipt " + seq + " is not in a tree of " + treeSize);
      out.add(
          new InclusionProof(
              seq - 1, treeSize, verified(log, () -> Proofs.inclusion(seq - 1, treeSize, once))));
    }
    return out;
  }

  /** The proof that the tree of {@code from} receipts is a prefix of the tree of {@code to}. */
  public ConsistencyProof consistencyProof(Tx tx, LogId log, long from, long to) {
    Receipts.checkScope(tx, log);
    requireRange(from >= 1 && from <= to, "need 1 <= from <= to, got " + from + ", " + to);
    requireRange(to <= size(tx, log), "the log has fewer than " + to + " receipts");
    return new ConsistencyProof(
        from, to, verified(log, () -> Proofs.consistency(from, to, LogStore.subtrees(tx, log))));
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
    // Verified in full before the first byte is written: a response that has started cannot
    // become an error any more, and a truncated export must never look like a complete one.
    verifyRange(log, first, last, anchor, source, tx);
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

  /**
   * Rebuilds {@code anchor}'s root from the stored tree before {@code first}, receipts {@code
   * first..last} as read and re-hashed now, and the stored subtrees after {@code last}: exactly
   * what an offline verifier of the export will do. Any edited, missing or reordered row fails it.
   */
  private void verifyRange(
      LogId log, long first, long last, Checkpoint anchor, SubtreeSource source, Tx tx) {
    verified(
        log,
        () -> {
          CompactRange range = CompactRange.of(first - 1, compactRange(first - 1, source));
          long[] next = {first};
          LogStore.stream(
              tx,
              log,
              first,
              last,
              r -> {
                if (r.seq() != next[0]) {
                  throw integrity.violation(log, "receipt " + next[0] + " is missing");
                }
                range.append(r.leafHash(), CompactRange.NodeSink.NONE);
                next[0]++;
              });
          if (next[0] != last + 1) {
            throw integrity.violation(log, "receipt " + next[0] + " is missing");
          }
          for (ExportWriter.Subtree s : suffix(last, anchor.size(), source)) {
            range.appendSubtree(s.hash(), s.level(), CompactRange.NodeSink.NONE);
          }
          if (!range.root().equals(anchor.root())) {
            throw integrity.violation(
                log,
                "receipts "
                    + first
                    + ".."
                    + last
                    + " do not rebuild the root of checkpoint "
                    + anchor.size());
          }
          return null;
        });
  }

  /** The root of the first {@code size} receipts as stored now. */
  Hash rootAt(Tx tx, LogId log, long size) {
    return CompactRange.of(size, compactRange(size, LogStore.subtrees(tx, log))).root();
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
