package io.maestro.provenance;

import io.maestro.core.Ids;
import io.maestro.core.problem.MaestroException;
import io.maestro.core.purge.PurgedItem;
import io.maestro.provenance.internal.FacetIndex;
import io.maestro.provenance.internal.LogStore;
import io.maestro.provenance.merkle.CompactRange;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The only way to write receipts. A receipt is appended inside the caller's transaction, so the
 * state change it records and the receipt commit or roll back together.
 *
 * <p>Appends to one log are serialized by a lock on the log's head row (held until the caller's
 * transaction ends), which keeps {@code seq} gapless and the chain linear under any concurrency.
 * Keep transactions that append short: other appends to the same log wait for them. Hot paths (the
 * engine's receipts) {@link #enqueueAll queue} their receipts instead and leave the head lock to
 * the {@link Sequencer}, which places many at a time (ADR 0017). The write path only hashes (the
 * receipt digest and O(log n) Merkle nodes); signing happens later, in batches, in the {@link
 * Checkpointer}.
 *
 * <p>A transaction scoped to a tenant may only append to that tenant's log; a platform-scoped
 * transaction may append to any log. Thread-safe.
 */
public final class Receipts {
  private final Ids ids;
  private final Clock clock;
  private final AppendListener listener;
  private volatile QueueListener queueListener = QueueListener.NONE;
  private volatile AppendHook appendHook = AppendHook.NONE;

  /**
   * @param listener hears, after each commit, how many receipts each log received (the checkpointer
   *     uses it to sign early when many receipts arrive)
   */
  public Receipts(Ids ids, Clock clock, AppendListener listener) {
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Appends one receipt in {@code tx} and returns it with its id, seq, time, prev and digest. */
  public Receipt append(Tx tx, ReceiptDraft draft) {
    return appendAll(tx, List.of(draft)).get(0);
  }

  /**
   * Appends several receipts in {@code tx}, in order within each log, with one lock and one batch
   * insert per log. Logs are locked in a fixed order so two such calls cannot deadlock each other.
   */
  public List<Receipt> appendAll(Tx tx, List<ReceiptDraft> drafts) {
    if (drafts.isEmpty()) {
      return List.of();
    }
    Map<LogId, List<Integer>> byLog = byLog(tx, drafts);
    Instant now = clock.instant();
    Receipt[] out = new Receipt[drafts.size()];
    long[] bytes = new long[drafts.size()];
    Map<LogId, Integer> counts = new LinkedHashMap<>();
    for (Map.Entry<LogId, List<Integer>> e : byLog.entrySet()) {
      List<Integer> indexes = e.getValue();
      List<Receipt> placed =
          extend(
              tx,
              e.getKey(),
              now,
              indexes.size(),
              (i, seq, prev) -> {
                ReceiptJson.Built built =
                    ReceiptJson.build(nextId(), seq, now, drafts.get(indexes.get(i)), prev);
                bytes[indexes.get(i)] = storedBytes(built);
                return built;
              });
      for (int i = 0; i < placed.size(); i++) {
        out[indexes.get(i)] = placed.get(i);
      }
      counts.put(e.getKey(), placed.size());
    }
    List<Stored> stored = new ArrayList<>(out.length);
    for (int i = 0; i < out.length; i++) {
      stored.add(new Stored(out[i], bytes[i]));
    }
    appendHook.appended(tx, List.copyOf(stored));
    tx.afterCommit(() -> counts.forEach(listener::appended));
    return List.copyOf(Arrays.asList(out));
  }

  /** A receipt as appended, with the bytes it is stored with (canonical body and payload). */
  public record Stored(Receipt receipt, long storedBytes) {}

  /**
   * Hears the receipts {@link #appendAll} appended, inside the appending transaction, before it
   * commits: what it writes commits or rolls back with them (metering counts every receipt that
   * way). Not called for {@link #enqueueAll queued} receipts, whose writers account for them
   * themselves. Called with the log's head lock held; must be quick and must not append.
   */
  @FunctionalInterface
  public interface AppendHook {
    void appended(Tx tx, List<Stored> receipts);

    AppendHook NONE = (tx, receipts) -> {};
  }

  /** Sets the hook that hears every appended receipt in its transaction (one per instance). */
  public void onAppend(AppendHook hook) {
    this.appendHook = Objects.requireNonNull(hook, "hook");
  }

  private static long storedBytes(ReceiptJson.Built built) {
    return built.canonicalBody().getBytes(StandardCharsets.UTF_8).length
        + built.receipt().payload().map(p -> p.getBytes(StandardCharsets.UTF_8).length).orElse(0);
  }

  /**
   * Queues receipts in {@code tx}, atomically with the caller's state change, without taking the
   * log's head lock: the {@link Sequencer} gives them their {@code seq} and {@code prev} later,
   * many at a time, in the order they were queued (ADR 0017). Until then they are in no log, no
   * checkpoint and no proof; reads that must see them call {@link Sequencer#drain} first.
   */
  public List<Queued> enqueueAll(Tx tx, List<ReceiptDraft> drafts) {
    if (drafts.isEmpty()) {
      return List.of();
    }
    Map<LogId, List<Integer>> byLog = byLog(tx, drafts);
    Instant now = clock.instant();
    List<ReceiptJson.Built> rows = new ArrayList<>(drafts.size());
    List<Queued> out = new ArrayList<>(drafts.size());
    for (ReceiptDraft d : drafts) {
      // Placeholder seq (1) and prev (zero) until the sequencer places the receipt.
      ReceiptJson.Built built = ReceiptJson.build(nextId(), 1, now, d, Hash.ZERO);
      Receipt r = built.receipt();
      rows.add(built);
      out.add(new Queued(r.id(), r.log(), r.type(), r.time(), storedBytes(built)));
    }
    LogStore.insertQueued(tx, rows);
    tx.afterCommit(() -> byLog.keySet().forEach(queueListener::queued));
    return List.copyOf(out);
  }

  /**
   * A queued receipt as its action's transaction knows it: id, log, type and time are final; {@code
   * storedBytes} counts its body with the placeholder sequence number (a few digits fewer than once
   * placed) and its payload.
   */
  public record Queued(String id, LogId log, ReceiptType type, Instant time, long storedBytes) {}

  /** Builds the receipt that goes at {@code seq} after the receipt with digest {@code prev}. */
  @FunctionalInterface
  interface Placer {
    ReceiptJson.Built place(int index, long seq, Hash prev);
  }

  /**
   * Locks the head of {@code log} and appends {@code count} receipts built by {@code placer} at its
   * end: the chain, the Merkle frontier and nodes, the head row. The lock is held until {@code tx}
   * ends. Returns the receipts as placed.
   */
  static List<Receipt> extend(Tx tx, LogId log, Instant now, int count, Placer placer) {
    LogStore.Head head = LogStore.lockHead(tx, log, now);
    CompactRange frontier = head.frontier();
    List<LogStore.Node> nodes = new ArrayList<>();
    List<ReceiptJson.Built> batch = new ArrayList<>(count);
    List<Receipt> out = new ArrayList<>(count);
    long seq = head.size();
    Hash prev = head.headDigest();
    for (int i = 0; i < count; i++) {
      seq++;
      ReceiptJson.Built built = placer.place(i, seq, prev);
      Receipt r = built.receipt();
      frontier.append(
          r.leafHash(),
          (level, idx, hash) -> {
            if (level >= LogStore.NODE_LEVEL) {
              nodes.add(new LogStore.Node(level, idx, hash));
            }
          });
      prev = r.digest();
      batch.add(built);
      out.add(r);
    }
    LogStore.insertReceipts(tx, batch);
    LogStore.insertSubjects(tx, batch);
    FacetIndex.insertFacets(tx, batch);
    LogStore.insertNodes(tx, log, nodes);
    LogStore.updateHead(tx, log, new LogStore.Head(seq, prev, frontier), now);
    return out;
  }

  /**
   * Erases the payloads of {@code log}'s receipts that occurred before {@code before} (every
   * receipt when empty), leaving each one a tombstone: its body, digest, chain link and Merkle leaf
   * stay as they were, and its {@code payload_digest} still names what was erased, so the log and
   * its exports verify as before. The trail of purges and retention itself ({@code purge.*}, {@code
   * retention.*}) is never erased. Returns one item per erased payload, its digest being the
   * payload's.
   */
  public List<PurgedItem> erasePayloads(Tx tx, LogId log, Optional<Instant> before) {
    return erasePayloads(tx, log, before, Long.MAX_VALUE);
  }

  /**
   * Erases at most {@code limit} payloads (the oldest first) as {@link #erasePayloads(Tx, LogId,
   * Optional)} does: one bounded batch of a retention job.
   */
  public List<PurgedItem> erasePayloads(Tx tx, LogId log, Optional<Instant> before, long limit) {
    checkScope(tx, log);
    String where =
        " WHERE tenant_id = ? AND payload IS NOT NULL AND type NOT LIKE 'purge.%'"
            + " AND type NOT LIKE 'retention.%'"
            + (before.isPresent() ? " AND occurred_at < ?" : "");
    Object[] args =
        before.isPresent()
            ? new Object[] {log.storageKey(), before.get()}
            : new Object[] {log.storageKey()};
    if (limit != Long.MAX_VALUE) {
      // Receipts are numbered in log order; the batch's last one bounds the update.
      long last =
          tx.queryOne(
                  "SELECT MAX(seq) AS s FROM (SELECT seq FROM provenance_receipt"
                      + where
                      + " ORDER BY seq LIMIT "
                      + Math.max(1, limit)
                      + ") b",
                  rs -> rs.getObject("s") == null ? -1L : rs.getLong("s"),
                  args)
              .orElse(-1L);
      if (last < 0) {
        return List.of();
      }
      where += " AND seq <= " + last;
    }
    List<PurgedItem> items =
        tx.query(
            "SELECT receipt_id, body FROM provenance_receipt" + where + " ORDER BY seq",
            rs ->
                new PurgedItem(
                    "receipt_payloads",
                    rs.getString("receipt_id"),
                    io.maestro.core.json.CanonicalJson.parse(rs.getString("body"))
                        .path("payload_digest")
                        .asText()),
            args);
    if (!items.isEmpty()) {
      tx.update("UPDATE provenance_receipt SET payload = NULL" + where, args);
    }
    return items;
  }

  private static Map<LogId, List<Integer>> byLog(Tx tx, List<ReceiptDraft> drafts) {
    Map<LogId, List<Integer>> byLog =
        new TreeMap<>(java.util.Comparator.comparing(LogId::storageKey));
    for (int i = 0; i < drafts.size(); i++) {
      ReceiptDraft d = Objects.requireNonNull(drafts.get(i), "draft");
      checkScope(tx, d.log());
      byLog.computeIfAbsent(d.log(), k -> new ArrayList<>()).add(i);
    }
    return byLog;
  }

  /**
   * A new receipt id. Serialized because the injected random source need not be thread-safe (a
   * seeded {@code SplittableRandom} is not), and two threads must never draw the same id.
   */
  private synchronized String nextId() {
    return ids.next("rcp");
  }

  static void checkScope(Tx tx, LogId log) {
    if (tx.scope() instanceof TenantScope.Tenant t && !log.equals(LogId.tenant(t.id()))) {
      throw MaestroException.of(
          ProvenanceErrors.FOREIGN_LOG,
          "a transaction scoped to tenant " + t.id() + " cannot use " + log);
    }
  }

  AppendListener appendListener() {
    return listener;
  }

  /**
   * Tells {@code l} after each commit which logs received queued receipts (wakes the sequencer).
   */
  void onQueued(QueueListener l) {
    this.queueListener = Objects.requireNonNull(l, "listener");
  }

  /** Hears about committed queued receipts. Called on the committing thread; must be quick. */
  @FunctionalInterface
  interface QueueListener {
    QueueListener NONE = log -> {};

    void queued(LogId log);
  }

  /** Hears about committed appends. Called on the committing thread; must be quick. */
  @FunctionalInterface
  public interface AppendListener {
    AppendListener NONE = (log, count) -> {};

    void appended(LogId log, int count);
  }
}
