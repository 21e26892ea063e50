package io.maestro.provenance;

import io.maestro.core.Ids;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.internal.LogStore;
import io.maestro.provenance.merkle.CompactRange;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The only way to write receipts. A receipt is appended inside the caller's transaction, so the
 * state change it records and the receipt commit or roll back together.
 *
 * <p>Appends to one log are serialized by a lock on the log's head row (held until the caller's
 * transaction ends), which keeps {@code seq} gapless and the chain linear under any concurrency.
 * Keep transactions that append short: other appends to the same log wait for them. The write path
 * only hashes (the receipt digest and O(log n) Merkle nodes); signing happens later, in batches, in
 * the {@link Checkpointer}.
 *
 * <p>A transaction scoped to a tenant may only append to that tenant's log; a platform-scoped
 * transaction may append to any log. Thread-safe.
 */
public final class Receipts {
  private final Ids ids;
  private final Clock clock;
  private final AppendListener listener;

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
    Map<LogId, List<Integer>> byLog =
        new TreeMap<>(java.util.Comparator.comparing(LogId::storageKey));
    for (int i = 0; i < drafts.size(); i++) {
      ReceiptDraft d = Objects.requireNonNull(drafts.get(i), "draft");
      checkScope(tx, d.log());
      byLog.computeIfAbsent(d.log(), k -> new ArrayList<>()).add(i);
    }
    Instant now = clock.instant();
    Receipt[] out = new Receipt[drafts.size()];
    Map<LogId, Integer> counts = new LinkedHashMap<>();
    for (Map.Entry<LogId, List<Integer>> e : byLog.entrySet()) {
      LogId log = e.getKey();
      LogStore.Head head = LogStore.lockHead(tx, log, now);
      CompactRange frontier = head.frontier();
      List<LogStore.Node> nodes = new ArrayList<>();
      List<ReceiptJson.Built> batch = new ArrayList<>(e.getValue().size());
      long seq = head.size();
      Hash prev = head.headDigest();
      for (int index : e.getValue()) {
        seq++;
        ReceiptJson.Built built = ReceiptJson.build(nextId(), seq, now, drafts.get(index), prev);
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
        out[index] = r;
      }
      LogStore.insertReceipts(tx, batch);
      LogStore.insertNodes(tx, log, nodes);
      LogStore.updateHead(tx, log, new LogStore.Head(seq, prev, frontier), now);
      counts.put(log, batch.size());
    }
    tx.afterCommit(() -> counts.forEach(listener::appended));
    return List.copyOf(Arrays.asList(out));
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

  /** Hears about committed appends. Called on the committing thread; must be quick. */
  @FunctionalInterface
  public interface AppendListener {
    AppendListener NONE = (log, count) -> {};

    void appended(LogId log, int count);
  }
}
