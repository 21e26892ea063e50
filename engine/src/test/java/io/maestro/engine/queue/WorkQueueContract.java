package io.maestro.engine.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The durable queue on its own: fairness, leases, expiry, concurrent claimers. */
abstract class WorkQueueContract {
  abstract Backend backend();

  static final TenantId BIG = TenantId.of("big");
  static final TenantId SMALL = TenantId.of("small");
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  TestDatabase tdb;
  Database db;
  WorkQueue queue;
  WakeSignal signal;

  @BeforeEach
  void open() {
    tdb = backend().open();
    db = tdb.database();
    signal = new WakeSignal();
    queue =
        new WorkQueue(db, new Ids(Clock.systemUTC(), new SplittableRandom(1)::nextLong), signal);
  }

  @AfterEach
  void close() {
    tdb.close();
  }

  private void fill(TenantId tenant, int n, Instant due) {
    db.useTransaction(
        TenantScope.of(tenant),
        tx -> {
          for (int i = 0; i < n; i++) {
            queue.enqueue(tx, tenant, "run_" + i, "s", WorkKind.EXECUTE, 1, due, due);
          }
        });
  }

  /**
   * Claims as a worker pool does: reads which tenants have rows due, then claims an equal share of
   * {@code limit} from each and the leftover after, one row per transaction.
   */
  private List<WorkItem> claim(String owner, int limit, Instant now, Duration lease) {
    WorkQueue.Due due = queue.due(limit, now);
    int share = Math.max(1, limit / Math.max(1, due.tenants().size()));
    List<WorkItem> out = new ArrayList<>();
    Map<TenantId, Integer> left = new java.util.LinkedHashMap<>(due.tenants());
    for (int round = 0; round < 2; round++) { // an equal share first, then what is left over
      for (Map.Entry<TenantId, Integer> e : left.entrySet()) {
        int take = Math.min(round == 0 ? share : limit, Math.min(e.getValue(), limit - out.size()));
        for (int i = 0; i < take; i++) {
          db.inTransaction(
                  TenantScope.of(e.getKey()),
                  tx -> queue.claimOne(tx, e.getKey(), owner, now, lease))
              .ifPresent(out::add);
        }
        e.setValue(e.getValue() - take);
      }
    }
    return out;
  }

  @Test
  void claim_aTenantWithManyQueuedStepsDoesNotStarveATenantWithOne() {
    fill(BIG, 2000, T0.minusSeconds(60)); // older: a FIFO queue would serve all of these first
    fill(SMALL, 1, T0);
    List<WorkItem> first = claim("w1", 10, T0, Duration.ofSeconds(30));
    assertThat(first).hasSize(10);
    assertThat(first).extracting(WorkItem::tenant).contains(SMALL);
  }

  @Test
  void due_listsTenantsOldestWaitingFirstWithTheirCounts_andClaimsNothing() {
    fill(BIG, 5, T0.minusSeconds(60));
    fill(SMALL, 1, T0);
    fill(TenantId.of("later"), 2, T0.plusSeconds(5)); // not due yet
    WorkQueue.Due due = queue.due(10, T0);
    assertThat(due.tenants()).containsExactly(Map.entry(BIG, 5), Map.entry(SMALL, 1));
    // Fewer than asked: when the next row that is not claimable now becomes claimable.
    assertThat(due.nextDue()).contains(T0.plusSeconds(5));
    assertThat(queue.due(10, T0).tenants()).isEqualTo(due.tenants()); // a read changes nothing
    assertThat(queue.due(3, T0).nextDue()).isEmpty(); // enough due rows: no look-ahead
  }

  @Test
  void claimOne_takesTheTenantsOldestRow_inTheCallersTransaction_andSkipsHeldRows() {
    fill(SMALL, 2, T0);
    fill(BIG, 1, T0.minusSeconds(60));
    WorkItem first =
        db.inTransaction(
                TenantScope.of(SMALL),
                tx -> queue.claimOne(tx, SMALL, "a", T0, Duration.ofSeconds(300)))
            .orElseThrow();
    assertThat(first.tenant()).isEqualTo(SMALL);
    assertThat(first.claims()).isEqualTo(1);
    // A claim rolled back with its transaction leaves the row claimable.
    try {
      db.inTransaction(
          TenantScope.of(SMALL),
          tx -> {
            queue.claimOne(tx, SMALL, "b", T0, Duration.ofSeconds(30));
            throw new IllegalStateException("the first phase failed");
          });
    } catch (IllegalStateException expected) {
      // rolled back
    }
    assertThat(queue.due(10, T0).tenants()).containsEntry(SMALL, 1);
    WorkItem second =
        db.inTransaction(
                TenantScope.of(SMALL),
                tx -> queue.claimOne(tx, SMALL, "b", T0, Duration.ofSeconds(300)))
            .orElseThrow();
    assertThat(second.workId()).isNotEqualTo(first.workId());
    Optional<WorkItem> none =
        db.inTransaction(
            TenantScope.of(SMALL),
            tx -> queue.claimOne(tx, SMALL, "c", T0, Duration.ofSeconds(30)));
    assertThat(none).isEmpty();
    // A row whose claiming transaction failed is leased on its own, its claim counted, and is
    // not claimable again until that lease runs out.
    fill(SMALL, 1, T0);
    java.util.concurrent.atomic.AtomicReference<String> failed =
        new java.util.concurrent.atomic.AtomicReference<>();
    try {
      db.inTransaction(
          TenantScope.of(SMALL),
          tx -> {
            failed.set(
                queue.claimOne(tx, SMALL, "d", T0, Duration.ofSeconds(30)).orElseThrow().workId());
            throw new IllegalStateException("the first phase failed");
          });
    } catch (IllegalStateException expected) {
      // rolled back
    }
    queue.leaseAfterFailure(SMALL, failed.get(), "d", T0, T0.plusSeconds(30));
    assertThat(queue.due(10, T0.plusSeconds(10)).tenants()).doesNotContainKey(SMALL);
    WorkItem again =
        db.inTransaction(
                TenantScope.of(SMALL),
                tx -> queue.claimOne(tx, SMALL, "e", T0.plusSeconds(31), Duration.ofSeconds(30)))
            .orElseThrow();
    assertThat(again.workId()).isEqualTo(failed.get());
    assertThat(again.claims()).isEqualTo(2);
  }

  @Test
  void claim_leasesRowsSoOtherClaimersSkipThemUntilTheLeaseExpires() {
    fill(SMALL, 3, T0);
    List<WorkItem> a = claim("a", 10, T0, Duration.ofSeconds(30));
    assertThat(a).hasSize(3).allSatisfy(w -> assertThat(w.claims()).isEqualTo(1));
    assertThat(claim("b", 10, T0.plusSeconds(10), Duration.ofSeconds(30))).isEmpty();
    assertThat(queue.heartbeat(a.getFirst(), "a", T0.plusSeconds(100))).isTrue();
    assertThat(queue.heartbeat(a.getFirst(), "b", T0.plusSeconds(100))).isFalse();
    List<WorkItem> b = claim("b", 10, T0.plusSeconds(31), Duration.ofSeconds(30));
    assertThat(b).hasSize(2).allSatisfy(w -> assertThat(w.claims()).isEqualTo(2));
    db.useTransaction(
        TenantScope.of(SMALL),
        tx -> {
          assertThat(queue.complete(tx, b.getFirst(), "a")).isFalse();
          assertThat(queue.complete(tx, b.getFirst(), "b")).isTrue();
        });
    assertThat(queue.size()).isEqualTo(2);
  }

  @Test
  void claim_futureRowsWaitUntilDue() {
    fill(SMALL, 1, T0.plusSeconds(5));
    assertThat(claim("a", 10, T0, Duration.ofSeconds(30))).isEmpty();
    assertThat(queue.due(10, T0).nextDue()).contains(T0.plusSeconds(5));
    assertThat(claim("a", 10, T0.plusSeconds(5), Duration.ofSeconds(30))).hasSize(1);
  }

  @Test
  void claim_concurrentClaimersNeverGetTheSameRow() throws Exception {
    fill(BIG, 300, T0);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger dupes =
        new java.util.concurrent.atomic.AtomicInteger();
    for (int i = 0; i < 6; i++) {
      String owner = "w" + i;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (true) {
                      List<WorkItem> got = claim(owner, 7, T0, Duration.ofMinutes(5));
                      if (got.isEmpty()) {
                        return;
                      }
                      got.forEach(
                          w -> {
                            if (!seen.add(w.workId())) {
                              dupes.incrementAndGet();
                            }
                          });
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(dupes).hasValue(0);
    assertThat(seen).hasSize(300);
  }

  @Test
  void aRowClaimedByTheTransactionThatEnqueuedIt_wakesNoDispatcher() throws Exception {
    signal.await(Duration.ZERO); // forget wake-ups from set-up
    Optional<WorkItem> chained =
        db.inTransaction(
            TenantScope.of(BIG),
            tx -> {
              queue.enqueue(tx, BIG, "run_a", "s2", WorkKind.EXECUTE, 1, T0, T0);
              return queue.claimOneOfRun(tx, BIG, "run_a", "w1", T0, Duration.ofSeconds(30));
            });
    assertThat(chained).map(WorkItem::stepId).contains("s2");
    assertThat(signal.await(Duration.ZERO)).as("nobody else can claim it: no wake-up").isFalse();

    db.useTransaction(
        TenantScope.of(BIG),
        tx -> queue.enqueue(tx, BIG, "run_b", "s1", WorkKind.EXECUTE, 1, T0, T0));
    assertThat(signal.await(Duration.ZERO)).as("a row left for the pool wakes it").isTrue();
    db.useTransaction(
        TenantScope.of(BIG),
        tx -> queue.enqueue(tx, BIG, "run_c", "t", WorkKind.TIMEOUT, 1, T0.plusSeconds(60), T0));
    assertThat(signal.await(Duration.ZERO))
        .as("a row due later wakes it too, to sleep until then")
        .isTrue();
  }

  @Test
  void claimOneOfRun_takesOnlyThatRunsDueRows() {
    fill(BIG, 3, T0);
    Optional<WorkItem> other =
        db.inTransaction(
            TenantScope.of(BIG),
            tx -> queue.claimOneOfRun(tx, BIG, "run_9", "w1", T0, Duration.ofSeconds(30)));
    assertThat(other).isEmpty();
    Optional<WorkItem> mine =
        db.inTransaction(
            TenantScope.of(BIG),
            tx -> queue.claimOneOfRun(tx, BIG, "run_1", "w1", T0, Duration.ofSeconds(30)));
    assertThat(mine).map(WorkItem::runId).contains("run_1");
    Optional<WorkItem> foreign =
        db.inTransaction(
            TenantScope.of(SMALL),
            tx -> queue.claimOneOfRun(tx, SMALL, "run_2", "w1", T0, Duration.ofSeconds(30)));
    assertThat(foreign).as("another tenant's claim never sees the row").isEmpty();
  }
}
