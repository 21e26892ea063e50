package io.maestro.server.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.TenantId;
import io.maestro.metering.Metering;
import io.maestro.store.Tx;
import io.maestro.store.testing.TestDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Admissions of one tenant that arrive while a transaction holds its budget lock are decided in the
 * next transaction together, in arrival order; a failing admission fails only itself; nothing is
 * answered before its transaction committed. On a real (H2) database with the metering tables.
 */
class AdmissionBatchesTest {
  private static final TenantId ACME = TenantId.of("acme");

  private final TestDatabase testDb = TestDatabase.h2();
  private final AdmissionBatches batches =
      new AdmissionBatches(testDb.database(), Metering.standard(), Clock.systemUTC());

  @org.junit.jupiter.api.BeforeEach
  void table() {
    testDb
        .database()
        .inTransaction(
            io.maestro.store.TenantScope.platform(),
            tx -> tx.update("CREATE TABLE admitted (name VARCHAR(40) PRIMARY KEY)"));
  }

  @AfterEach
  void close() {
    testDb.close();
  }

  @Test
  void admissionsQueuedBehindALock_areDecidedTogetherInTheNextTransaction() throws Exception {
    Scenario s = run(-1);
    for (int i = 0; i < WAITING; i++) {
      assertThat(s.results().get(i + 1).get()).isEqualTo("run-" + i);
    }
    // The first ran alone; the twelve that queued behind it shared the next transaction.
    Set<Tx> waiting = new java.util.HashSet<>();
    s.attempts().stream().filter(a -> a.n() >= 0).forEach(a -> waiting.add(a.tx()));
    assertThat(waiting).hasSize(1);
    assertThat(s.attempts()).hasSize(WAITING + 1);
    assertThat(names()).hasSize(WAITING + 1);
  }

  @Test
  void aFailingAdmission_failsOnlyItself_theOthersOfItsBatchRunAgainAlone() throws Exception {
    Scenario s = run(5);
    for (int i = 0; i < WAITING; i++) {
      Future<String> f = s.results().get(i + 1);
      if (i == 5) {
        assertThatThrownBy(f::get).hasRootCauseMessage("admission 5 is refused");
      } else {
        assertThat(f.get()).isEqualTo("run-" + i);
      }
    }
    // Every answered admission is committed; the failed one left nothing behind.
    List<String> expected = new ArrayList<>(List.of("first"));
    for (int i = 0; i < WAITING; i++) {
      if (i != 5) {
        expected.add("run-" + i);
      }
    }
    assertThat(names()).containsExactlyInAnyOrderElementsOf(expected);
    // Tried together once (rolled back), then each alone.
    Map<Tx, Long> perTx = new java.util.HashMap<>();
    s.attempts().stream().filter(a -> a.n() >= 0).forEach(a -> perTx.merge(a.tx(), 1L, Long::sum));
    assertThat(perTx.values()).contains((long) 6); // 0..5: the batch ended at the failure
    assertThat(perTx.values().stream().filter(n -> n == 1).count()).isEqualTo(WAITING);
  }

  private static final int WAITING = 12;

  private record Attempt(int n, Tx tx) {}

  private record Scenario(List<Future<String>> results, List<Attempt> attempts) {}

  /**
   * One admission holds the lock until twelve more queued behind it; admission {@code failing}
   * throws after writing.
   */
  private Scenario run(int failing) throws Exception {
    CountDownLatch firstHolds = new CountDownLatch(1);
    CountDownLatch othersQueued = new CountDownLatch(WAITING);
    List<Attempt> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Future<String>> results = new ArrayList<>();
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    results.add(
        pool.submit(
            () ->
                batches.admit(
                    ACME,
                    (tx, locked) -> {
                      attempts.add(new Attempt(-1, tx));
                      firstHolds.countDown();
                      try {
                        othersQueued.await();
                        Thread.sleep(200); // the others are queued by now
                      } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                      return insert(tx, "first");
                    })));
    firstHolds.await();
    for (int i = 0; i < WAITING; i++) {
      int n = i;
      results.add(
          pool.submit(
              () -> {
                othersQueued.countDown();
                return batches.admit(
                    ACME,
                    (tx, locked) -> {
                      attempts.add(new Attempt(n, tx));
                      if (n == failing) {
                        insert(tx, "bad");
                        throw new IllegalArgumentException("admission " + n + " is refused");
                      }
                      return insert(tx, "run-" + n);
                    });
              }));
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(results.get(0).get()).isEqualTo("first");
    return new Scenario(results, attempts);
  }

  @Test
  void aLoneAdmissionRunsAtOnce_andItsFailureIsItsCallers() {
    String alone = batches.admit(ACME, (tx, locked) -> insert(tx, "alone"));
    assertThat(alone).isEqualTo("alone");
    assertThatThrownBy(
            () ->
                batches.<String>admit(
                    ACME,
                    (tx, locked) -> {
                      throw new IllegalStateException("no");
                    }))
        .hasMessage("no");
    assertThat(names()).containsExactly("alone");
  }

  private static String insert(Tx tx, String name) {
    tx.update("INSERT INTO admitted (name) VALUES (?)", name);
    return name;
  }

  private List<String> names() {
    return testDb
        .database()
        .inTransaction(
            io.maestro.store.TenantScope.platform(),
            tx -> tx.query("SELECT name FROM admitted ORDER BY name", rs -> rs.getString(1)));
  }
}
